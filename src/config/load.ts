import { dirname, resolve } from 'node:path';
import defaults from '../../config/default.json' with { type: 'json' };
import type { Runtime } from '../runtime/types.ts';
import { CONFIG_FILE_VARIABLE, configFileFromEnv, envLayers } from './env.ts';
import { ConfigError } from './errors.ts';
import { type ConfigFlags, flagLayers } from './flags.ts';
import { type ConfigLayer, deepMerge, isPlainObject, type PlainObject } from './layer.ts';
import { convertLegacy, isLegacyLayout } from './legacy.ts';
import { checkConfigPaths } from './path-checks.ts';
import { resolveDatabasePath, resolveLayerPaths } from './paths.ts';
import type { Config } from './schema.ts';
import { shown, validateConfig } from './validate.ts';

/** The file looked for in the working directory when neither --config nor the environment names one. */
export const DEFAULT_CONFIG_FILE = 'code-analysis.json';
export const EMBEDDED_DEFAULT = 'the embedded default';

export interface LoadedConfig {
  /** Validated, every path absolute, deep-frozen. */
  config: Config;
  /** The config file used, or null when none was. */
  source: string | null;
  /** Old layout keys converted or ignored. */
  warnings: string[];
}

export interface LoadOptions {
  /** A config file; relative to the working directory. */
  configPath?: string;
  flags?: ConfigFlags;
}

type ConfigRuntime = Pick<Runtime, 'env' | 'cwd' | 'fs'>;

/** The config file to read and what named it, or null when there is none. */
async function findConfigFile(runtime: ConfigRuntime, configPath: string | undefined): Promise<{ path: string; origin: string } | null> {
  const cwd = runtime.cwd();
  if (configPath !== undefined) return { path: resolve(cwd, configPath), origin: '--config' };
  const fromEnv = configFileFromEnv(runtime);
  if (fromEnv !== undefined) return { path: resolve(cwd, fromEnv), origin: CONFIG_FILE_VARIABLE };
  const local = resolve(cwd, DEFAULT_CONFIG_FILE);
  return (await runtime.fs.exists(local)) ? { path: local, origin: 'the working directory' } : null;
}

async function readConfigFile(runtime: ConfigRuntime, file: { path: string; origin: string }): Promise<PlainObject> {
  function fail(reason: string): never {
    throw new ConfigError(`invalid config: ${file.path}: ${reason} (from ${file.origin})`);
  }
  const info = await runtime.fs.stat(file.path);
  if (info === null) fail('no such file');
  if (info.isDirectory) fail('is a directory, not a config file');
  let text = '';
  try {
    text = await runtime.fs.readText(file.path);
  } catch (error) {
    fail(`cannot be read: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    // Editors on Windows save JSON with a byte order mark; JSON.parse refuses it.
    raw = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    fail(`not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(raw)) fail(`must hold a JSON object, not ${shown('', raw)}`);
  const forbidden = forbiddenKeyPath(raw, []);
  if (forbidden !== null) fail(`${forbidden}: the key ${JSON.stringify(forbidden.split('.').pop())} is not allowed (it would reach into JavaScript object prototypes)`);
  return raw;
}

/** Keys that merging would turn into prototype changes. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The JSON path of the first forbidden key in a parsed file, or null. */
function forbiddenKeyPath(value: unknown, path: string[]): string | null {
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (FORBIDDEN_KEYS.has(key)) return childPath.join('.');
    const found = forbiddenKeyPath(child, childPath);
    if (found !== null) return found;
  }
  return null;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Resolve the configuration once, for the whole process: embedded default ← config file
 * (`configPath`, else `CODE_ANALYSIS_CONFIG`, else `./code-analysis.json`) ← `CODE_ANALYSIS_*`
 * environment ← flags. The only reader of the environment in the program.
 */
export async function loadConfig(runtime: ConfigRuntime, options: LoadOptions = {}): Promise<LoadedConfig> {
  const cwd = runtime.cwd();
  const warnings: string[] = [];
  const file = await findConfigFile(runtime, options.configPath);
  // A config file is the server's home: the default data_dir sits beside it (DESIGN §8).
  const home = file === null ? cwd : dirname(file.path);
  const layers: ConfigLayer[] = [{ source: EMBEDDED_DEFAULT, value: resolveLayerPaths(defaults as PlainObject, home, { databasePath: false }) }];
  if (file !== null) {
    const raw = await readConfigFile(runtime, file);
    if (isLegacyLayout(raw)) {
      const converted = convertLegacy(raw, file.path);
      layers.push({ source: file.path, value: converted.value });
      warnings.push(...converted.warnings);
    } else {
      layers.push({ source: file.path, value: resolveLayerPaths(raw, dirname(file.path), { databasePath: false }) });
    }
  }
  // Paths typed in the environment or on the command line mean "from here".
  for (const layer of [...envLayers(runtime), ...flagLayers(options.flags ?? {})]) {
    layers.push({ source: layer.source, value: resolveLayerPaths(layer.value, cwd, { databasePath: true }) });
  }
  const merged = resolveDatabasePath(layers.reduce<PlainObject>((below, layer) => deepMerge(below, layer.value), {}));
  const config = validateConfig(merged, layers);
  await checkConfigPaths(runtime.fs, config, layers);
  return { config: deepFreeze(config), source: file?.path ?? null, warnings };
}
