import type { Runtime } from '../runtime/types.ts';
import { ConfigError } from './errors.ts';
import type { ConfigLayer, PlainObject } from './layer.ts';

/** The config file named by the environment, when no --config was given. */
export const CONFIG_FILE_VARIABLE = 'CODE_ANALYSIS_CONFIG';

/** A number when it reads as a whole number, else the text itself for validation to reject. */
const integer = (text: string): number | string => (/^-?\d+$/.test(text) ? Number(text) : text);

/** Each `CODE_ANALYSIS_*` variable and the config values it sets (DESIGN §8). */
const VARIABLES: Record<string, (text: string) => PlainObject> = {
  CODE_ANALYSIS_DATA_DIR: (text) => ({ data_dir: text }),
  CODE_ANALYSIS_DATABASE_PATH: (text) => ({ database: { type: 'sqlite', path: text } }),
  CODE_ANALYSIS_DATABASE_URL: (text) => ({ database: { type: 'postgres', url: text } }),
  CODE_ANALYSIS_HOST: (text) => ({ server: { host: text } }),
  CODE_ANALYSIS_PORT: (text) => ({ server: { port: integer(text) } }),
  CODE_ANALYSIS_AUTH_TOKEN: (text) => ({ server: { auth_token: text } }),
  CODE_ANALYSIS_READ_TOKEN: (text) => ({ server: { read_token: text } }),
  CODE_ANALYSIS_LOG_LEVEL: (text) => ({ log: { level: text } }),
  CODE_ANALYSIS_EMBEDDINGS_API_KEY: (text) => ({ embeddings: { http: { api_key: text } } }),
};

/** A variable set to the empty string counts as unset, as shells make that easy to do by accident. */
function read(runtime: Pick<Runtime, 'env'>, name: string): string | undefined {
  const text = runtime.env(name);
  return text === undefined || text === '' ? undefined : text;
}

export function configFileFromEnv(runtime: Pick<Runtime, 'env'>): string | undefined {
  return read(runtime, CONFIG_FILE_VARIABLE);
}

/** One layer per variable that is set, named after it, with its raw (unresolved) values. */
export function envLayers(runtime: Pick<Runtime, 'env'>): ConfigLayer[] {
  if (read(runtime, 'CODE_ANALYSIS_DATABASE_PATH') !== undefined && read(runtime, 'CODE_ANALYSIS_DATABASE_URL') !== undefined) {
    throw new ConfigError('invalid config: CODE_ANALYSIS_DATABASE_PATH and CODE_ANALYSIS_DATABASE_URL are both set; set only one');
  }
  return Object.entries(VARIABLES).flatMap(([name, toValue]) => {
    const text = read(runtime, name);
    return text === undefined ? [] : [{ source: name, value: toValue(text) }];
  });
}
