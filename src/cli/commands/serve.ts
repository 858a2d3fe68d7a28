import { defineCommand } from 'citty';
import * as v from 'valibot';
import type { RunPaths } from '../../config/run-paths.ts';
import type { Config } from '../../config/schema.ts';
import { runServe } from '../../supervisor/serve.ts';
import { VERSION } from '../../version.ts';
import { parseFlags } from '../args.ts';
import { loadConfigFromArgs, SERVER_CONFIG_ARGS } from '../config-args.ts';
import type { CliContext } from '../context.ts';
import { createLogger } from '../../runtime/logger.ts';

const ServeFlags = v.object({ log_format: v.optional(v.picklist(['text', 'json'], 'must be text or json')) });

function banner(url: string, paths: RunPaths, config: Config): string {
  const database = config.database.type === 'sqlite' ? config.database.path : `${config.database.url} (postgres)`;
  return [
    `code-analysis ${VERSION} serving ${url}`,
    `  data:      ${paths.dataDir}`,
    `  database:  ${database}`,
    `  logs:      ${paths.logsDir}`,
    `  pid files: ${paths.runDir}`,
    `  socket:    ${paths.socket}`,
    '',
  ].join('\n');
}

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'serve', description: 'Run the whole server in the foreground: driver, workers, HTTP' },
    args: {
      ...SERVER_CONFIG_ARGS,
      'log-format': { type: 'string', description: 'text|json (default text)' },
    },
    async run({ args, rawArgs }) {
      const { runtime } = context;
      const { config, warnings } = await loadConfigFromArgs(runtime, args, rawArgs);
      const { log_format: format } = parseFlags(ServeFlags, { log_format: args['log-format'] });
      const logger = createLogger(runtime, { format, level: config.log.level, tag: 'serve' });
      for (const warning of warnings) logger.warn(warning);
      await runServe(runtime, logger, config, {
        version: VERSION,
        onListening: (url, paths) => runtime.writeStdout(banner(url, paths, config)),
      });
    },
  });
