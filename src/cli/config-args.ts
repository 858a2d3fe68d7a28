import { type LoadedConfig, loadConfig } from '../config/load.ts';
import type { Runtime } from '../runtime/types.ts';
import { repeatedFlag } from './args.ts';

/** The flags that say which server a command means: its config file and data directory. */
export const CONFIG_ARGS = {
  config: { type: 'string', description: 'Config file (default ./code-analysis.json if present)' },
  'data-dir': { type: 'string', description: 'Data directory (overrides data_dir)' },
} as const;

/** The flags `serve` takes over the config (DESIGN §8); `config print` takes them too, to show their effect. */
export const SERVER_CONFIG_ARGS = {
  ...CONFIG_ARGS,
  database: { type: 'string', description: 'SQLite file or postgres:// URL (overrides the config)' },
  host: { type: 'string', description: 'HTTP host (default 127.0.0.1)' },
  port: { type: 'string', description: 'HTTP port (default 8787; 0 picks a free one)' },
  watch: { type: 'string', description: 'A directory to index; repeat for more' },
  'log-level': { type: 'string', description: 'silent|error|warn|info|debug (overrides log.level)' },
} as const;

type ConfigArgValues = { config?: string; 'data-dir'?: string } & Partial<
  Record<'database' | 'host' | 'port' | 'watch' | 'log-level', string>
>;

/** Resolve the config from a command's parsed flags; `--watch` may be repeated, so it is read from the raw ones. */
export function loadConfigFromArgs(runtime: Runtime, args: ConfigArgValues, rawArgs: string[] = []): Promise<LoadedConfig> {
  const watch = repeatedFlag(rawArgs, 'watch');
  return loadConfig(runtime, {
    configPath: args.config,
    flags: {
      data_dir: args['data-dir'],
      database: args.database,
      host: args.host,
      port: args.port,
      watch: watch.length > 0 ? watch : undefined,
      log_level: args['log-level'],
    },
  });
}
