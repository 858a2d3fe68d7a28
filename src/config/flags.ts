import * as v from 'valibot';
import { ConfigError } from './errors.ts';
import type { ConfigLayer, PlainObject } from './layer.ts';

/** The command-line flags that override the config, as the raw strings typed. */
export const ConfigFlagsSchema = v.object({
  data_dir: v.optional(v.string()),
  /** A SQLite file, or a postgres:// / postgresql:// URL. */
  database: v.optional(v.string()),
  host: v.optional(v.string()),
  port: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'))),
  /** Replaces workers.indexer.watch_dirs. */
  watch: v.optional(v.array(v.string())),
  log_level: v.optional(v.string()),
});

export type ConfigFlags = v.InferInput<typeof ConfigFlagsSchema>;

const POSTGRES_URL = /^postgres(ql)?:\/\//;

const FLAGS: { [K in keyof ConfigFlags]-?: (value: NonNullable<ConfigFlags[K]>) => PlainObject } = {
  data_dir: (dir) => ({ data_dir: dir }),
  database: (target) =>
    POSTGRES_URL.test(target) ? { database: { type: 'postgres', url: target } } : { database: { type: 'sqlite', path: target } },
  host: (host) => ({ server: { host } }),
  port: (port) => ({ server: { port: Number(port) } }),
  watch: (dirs) => ({ workers: { indexer: { watch_dirs: dirs } } }),
  log_level: (level) => ({ log: { level } }),
};

const flagName = (key: string) => `--${key.replaceAll('_', '-')}`;

/** One layer per flag given, named after the flag, with its raw (unresolved) values. */
export function flagLayers(flags: ConfigFlags): ConfigLayer[] {
  const result = v.safeParse(ConfigFlagsSchema, flags);
  if (!result.success) {
    const issue = result.issues[0];
    throw new ConfigError(`${flagName(String(issue.path?.[0]?.key))}: ${issue.message}`);
  }
  return Object.entries(result.output).flatMap(([key, value]) => {
    if (value === undefined) return [];
    const toValue = FLAGS[key as keyof ConfigFlags] as (value: unknown) => PlainObject;
    return [{ source: flagName(key), value: toValue(value) }];
  });
}
