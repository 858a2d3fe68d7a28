import { defineCommand } from 'citty';
import { VERSION } from '../version.ts';
import type { CliContext } from './context.ts';

/** The `code-analysis` command; subcommands load lazily so each process loads only its own. */
export function mainCommand(context: CliContext) {
  return defineCommand({
    meta: { name: 'code-analysis', version: VERSION, description: 'Code-analysis server around a database driver process' },
    subCommands: {
      driver: async () => (await import('./commands/driver.ts')).default(context),
      rpc: async () => (await import('./commands/rpc.ts')).default(context),
      serve: async () => (await import('./commands/serve.ts')).default(context),
      stop: async () => (await import('./commands/stop.ts')).default(context),
      status: async () => (await import('./commands/status.ts')).default(context),
      worker: async () => (await import('./commands/worker.ts')).default(context),
      index: async () => (await import('./commands/index.ts')).default(context),
      search: async () => (await import('./commands/search.ts')).default(context),
      embed: async () => (await import('./commands/embed.ts')).default(context),
      refs: async () => (await import('./commands/refs.ts')).default(context),
      outline: async () => (await import('./commands/outline.ts')).default(context),
      show: async () => (await import('./commands/show.ts')).default(context),
      mcp: async () => (await import('./commands/mcp.ts')).default(context),
      config: async () => (await import('./commands/config.ts')).default(context),
    },
  });
}
