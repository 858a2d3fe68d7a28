import { nodeRuntime } from '../../src/runtime/node.ts';
import { BIN, REPO_ROOT } from './paths.ts';
import { type CommandOutput, runCommand } from './run-command.ts';

/** Run the `code-analysis` command line to completion and collect what it printed. */
export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CommandOutput> {
  const env = options.env ? { ...(process.env as Record<string, string>), ...options.env } : undefined;
  return runCommand(nodeRuntime, [process.execPath, BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env });
}
