import { type CommandDef, renderUsage, runCommand } from 'citty';
import { ConfigError } from '../config/errors.ts';
import type { Runtime } from '../runtime/types.ts';
import { VERSION } from '../version.ts';
import { UsageError } from './context.ts';
import { mainCommand } from './main-command.ts';

/** Find the (sub)command the arguments name, for --help. */
async function resolveCommand(root: CommandDef, args: string[]): Promise<[CommandDef, CommandDef | undefined]> {
  let command = root;
  let parent: CommandDef | undefined;
  for (const arg of args) {
    if (arg.startsWith('-')) break;
    const subCommands = typeof command.subCommands === 'function' ? await command.subCommands() : await command.subCommands;
    const next = subCommands?.[arg];
    if (!next) break;
    parent = command;
    command = (typeof next === 'function' ? await next() : await next) as CommandDef;
  }
  return [command, parent];
}

/** Run the command line; returns the process exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(runtime: Runtime, args: string[]): Promise<number> {
  const context = { runtime, exitCode: 0 };
  const root = mainCommand(context) as CommandDef;
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    runtime.writeStdout(`code-analysis ${VERSION} (${runtime.name} ${runtime.version})\n`);
    return 0;
  }
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    const [command, parent] = await resolveCommand(root, args);
    runtime.writeStdout(`${await renderUsage(command, parent)}\n`);
    return args.length === 0 ? 2 : 0;
  }
  try {
    await runCommand(root, { rawArgs: args });
    return context.exitCode;
  } catch (error) {
    const usage = error instanceof UsageError || (error as { name?: string })?.name === 'CLIError';
    runtime.writeStderr(`code-analysis: ${(error as Error)?.message ?? String(error)}\n`);
    if (usage) runtime.writeStderr("Run 'code-analysis --help' for usage.\n");
    return usage || error instanceof ConfigError ? 2 : 1;
  }
}
