import { runCli } from './cli/run.ts';
import { loadRuntime } from './runtime/index.ts';

// The one entry point: pick the runtime, run the command, own the exit code.
const runtime = await loadRuntime();
const code = await runCli(runtime, runtime.args());
runtime.exit(code);
