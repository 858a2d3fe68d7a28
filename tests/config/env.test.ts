import { describe, expect, it } from 'vitest';
import { configFileFromEnv, envLayers } from '../../src/config/env.ts';
import { ConfigError } from '../../src/config/errors.ts';

const runtime = (env: Record<string, string>) => ({ env: (name: string) => env[name] });

describe('config from the environment', () => {
  it('gives one layer per variable set, named after it', () => {
    const layers = envLayers(
      runtime({
        CODE_ANALYSIS_DATA_DIR: 'd',
        CODE_ANALYSIS_DATABASE_PATH: 'x.db',
        CODE_ANALYSIS_HOST: 'h',
        CODE_ANALYSIS_PORT: '80',
        CODE_ANALYSIS_AUTH_TOKEN: 't',
        CODE_ANALYSIS_READ_TOKEN: 'r',
        CODE_ANALYSIS_LOG_LEVEL: 'debug',
        OTHER: 'ignored',
      }),
    );
    expect(layers).toEqual([
      { source: 'CODE_ANALYSIS_DATA_DIR', value: { data_dir: 'd' } },
      { source: 'CODE_ANALYSIS_DATABASE_PATH', value: { database: { type: 'sqlite', path: 'x.db' } } },
      { source: 'CODE_ANALYSIS_HOST', value: { server: { host: 'h' } } },
      { source: 'CODE_ANALYSIS_PORT', value: { server: { port: 80 } } },
      { source: 'CODE_ANALYSIS_AUTH_TOKEN', value: { server: { auth_token: 't' } } },
      { source: 'CODE_ANALYSIS_READ_TOKEN', value: { server: { read_token: 'r' } } },
      { source: 'CODE_ANALYSIS_LOG_LEVEL', value: { log: { level: 'debug' } } },
    ]);
  });

  it('keeps a port that is not a whole number as text, for validation to name', () => {
    expect(envLayers(runtime({ CODE_ANALYSIS_PORT: '8o' }))).toEqual([{ source: 'CODE_ANALYSIS_PORT', value: { server: { port: '8o' } } }]);
  });

  it('refuses a database path and URL together', () => {
    expect(() => envLayers(runtime({ CODE_ANALYSIS_DATABASE_PATH: 'x', CODE_ANALYSIS_DATABASE_URL: 'postgres://h/d' }))).toThrow(ConfigError);
  });

  it('names the config file, treating an empty value as unset', () => {
    expect(configFileFromEnv(runtime({ CODE_ANALYSIS_CONFIG: 'c.json' }))).toBe('c.json');
    expect(configFileFromEnv(runtime({ CODE_ANALYSIS_CONFIG: '' }))).toBeUndefined();
  });
});
