import { resolve } from 'node:path';
import { createLogger } from '../runtime/logger.ts';
import type { Runtime } from '../runtime/types.ts';
import { CODE_TOOLS, runCodeCommand } from '../tools/registry.ts';
import { withCodeTools } from './code-tools-session.ts';
import { CONFIG_ARGS, loadConfigFromArgs } from './config-args.ts';
import type { CliContext } from './context.ts';

/** The flags every tool command takes besides its own. */
export const TOOL_ARGS = {
  ...CONFIG_ARGS,
  project: { type: 'string', description: 'The project: its directory, name or id (default: the one holding the file)' },
  json: { type: 'boolean', default: false, description: 'Print the answer as JSON (the MCP tool\'s structured content)' },
} as const;

/**
 * A path as a person types it: relative to the current directory when it exists there,
 * otherwise as given (relative to the project root, as the tools take it).
 */
export async function cliPath(runtime: Runtime, path: string): Promise<string> {
  const absolute = resolve(runtime.cwd(), path);
  return (await runtime.fs.stat(absolute)) ? absolute : path;
}

/** `--project`: a directory (resolved against the current one), else a name or an id. */
export async function cliProject(runtime: Runtime, project: string | undefined): Promise<string | undefined> {
  if (project === undefined) return undefined;
  const absolute = resolve(runtime.cwd(), project);
  return (await runtime.fs.stat(absolute))?.isDirectory ? absolute : project;
}

/**
 * Run one code tool for a command (`refs`, `outline`, `show`): the same tool as MCP and the
 * HTTP routes, on the running server's driver or a transient one; prints its text answer,
 * or its structured answer with --json.
 */
export async function runToolCommand(
  context: CliContext,
  args: { config?: string; 'data-dir'?: string; json?: boolean },
  name: string,
  params: Record<string, unknown>,
): Promise<void> {
  const { runtime } = context;
  const { config } = await loadConfigFromArgs(runtime, args);
  const logger = createLogger(runtime, { level: 'warn', tag: name });
  const defined = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  const result = await withCodeTools(runtime, config, logger, (tools) => runCodeCommand(tools, name, defined));
  runtime.writeStdout(args.json ? `${JSON.stringify(result, null, 2)}\n` : `${CODE_TOOLS[name]!.text(result)}\n`);
}
