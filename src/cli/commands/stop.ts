import { defineCommand } from 'citty';
import { runPaths } from '../../config/run-paths.ts';
import { PidFile } from '../../runtime/pid-file.ts';
import { CONFIG_ARGS, loadConfigFromArgs } from '../config-args.ts';
import type { CliContext } from '../context.ts';

const POLL_MS = 50;

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'stop', description: 'Stop the running server (SIGTERM via its PID file) and wait until it is gone' },
    args: { ...CONFIG_ARGS },
    async run({ args }) {
      const { runtime } = context;
      const { config } = await loadConfigFromArgs(runtime, args);
      const paths = runPaths(config);
      const pidFile = new PidFile(runtime, paths.servePid);
      const pid = await pidFile.liveHolder();
      if (pid === null) {
        runtime.writeStdout(`code-analysis is not running (no live pid in ${paths.servePid})\n`);
        return;
      }
      runtime.kill(pid, 'SIGTERM');
      // HTTP, then the workers, then the driver each get the stop timeout.
      const patienceMs = config.supervisor.stop_timeout_ms * 3 + 5_000;
      const deadline = Date.now() + patienceMs;
      while (runtime.isPidAlive(pid)) {
        if (Date.now() > deadline) {
          runtime.writeStderr(`code-analysis: pid ${pid} is still running ${patienceMs} ms after SIGTERM; see ${paths.logsDir}\n`);
          context.exitCode = 1;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      runtime.writeStdout(`stopped code-analysis (pid ${pid})\n`);
    },
  });
