import { dirname, resolve } from 'node:path';
import { ConfigError } from './errors.ts';
import { atPath, deepMerge, isPlainObject, type PlainObject } from './layer.ts';
import { shown } from './validate.ts';

/**
 * The layouts of the system this replaces (DESIGN §8), all under a top-level `code_analysis`
 * next to the old HTTP adapter's sections (`server`, `registration`, …):
 * - `code_analysis.database.{type,path,worker}` with `code_analysis.workers.{database,vectorization,file_watcher}`;
 * - `code_analysis.database.driver.{type,config}` (type `sqlite_proxy`, `config.path`);
 * - a bare `code_analysis.db_path`, with `worker.watch_dirs` and `file_watcher.scan_interval`.
 * Old relative paths meant "next to config.json", so they resolve against the file's folder.
 */

/** Top-level keys only the canonical layout has; `server` is also the old adapter's section. */
const CANONICAL_ONLY = ['data_dir', 'database', 'queue', 'workers', 'supervisor', 'log'];

/** Where the database file may be, most specific first (the old loader preferred the driver section). */
const DATABASE_PATHS = [
  ['code_analysis', 'database', 'driver', 'config', 'path'],
  ['code_analysis', 'database', 'path'],
  ['code_analysis', 'db_path'],
];
const DATABASE_TYPES = [
  ['code_analysis', 'database', 'driver', 'type'],
  ['code_analysis', 'database', 'type'],
];
const SQLITE_TYPES = ['sqlite', 'sqlite_proxy'];
const WATCH_DIRS = [
  ['code_analysis', 'dirs'],
  ['code_analysis', 'worker', 'watch_dirs'],
  ['code_analysis', 'file_watcher', 'watch_dirs'],
  ['code_analysis', 'workers', 'vectorization', 'watch_dirs'],
  ['code_analysis', 'workers', 'file_watcher', 'watch_dirs'],
];
const WATCHERS = [
  ['code_analysis', 'file_watcher'],
  ['code_analysis', 'workers', 'file_watcher'],
  ['code_analysis', 'indexing_worker'],
];
const LOG_LEVELS: Record<string, string> = { warning: 'warn', critical: 'error' };

export interface LegacyConversion {
  /** The same settings in the canonical layout; paths already absolute. */
  value: PlainObject;
  /** One per old key used, naming its new key, and one naming every key ignored. */
  warnings: string[];
}

export function isLegacyLayout(raw: PlainObject): boolean {
  return Object.hasOwn(raw, 'code_analysis');
}

function valueAt(raw: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as PlainObject)[key] : undefined), raw);
}

/** Paths under `node` that no rule took, named at the highest level that was untouched. */
function untouched(node: unknown, path: string[], handled: ReadonlySet<string>): string[] {
  const key = path.join('.');
  if (handled.has(key)) return [];
  const below = [...handled].some((taken) => taken.startsWith(`${key}.`));
  if (!below || typeof node !== 'object' || node === null) return [key];
  return Object.entries(node).flatMap(([child, value]) => untouched(value, [...path, child], handled));
}

export function convertLegacy(raw: PlainObject, file: string): LegacyConversion {
  const base = dirname(file);
  const mixed = CANONICAL_ONLY.filter((key) => Object.hasOwn(raw, key));
  if (mixed.length > 0) {
    throw new ConfigError(`invalid config: ${file} mixes the old layout (code_analysis) with canonical keys (${mixed.join(', ')}); use one layout`);
  }
  let value: PlainObject = {};
  const warnings: string[] = [];
  const handled = new Set<string>();

  const fail = (path: readonly string[], must: string, got: unknown): never => {
    throw new ConfigError(`invalid config: ${path.join('.')}: ${must} (got ${shown(path.join('.'), got)}, from ${file})`);
  };
  /** The value at an old path, marked as converted, or undefined when absent. */
  const take = (path: readonly string[]): unknown => {
    const found = valueAt(raw, path);
    if (found !== undefined) handled.add(path.join('.'));
    return found;
  };
  const use = (path: readonly string[], to: string, converted: unknown) => {
    value = deepMerge(value, atPath(to.split('.'), converted));
    const adapter = path[0] === 'server' ? ' (of the old adapter section)' : '';
    warnings.push(`${path.join('.')}${adapter} is an old layout key; use ${to}`);
  };
  const pathString = (path: readonly string[], found: unknown): string =>
    typeof found === 'string' && found !== '' ? found : fail(path, 'must be a non-empty string', found);

  if (!isPlainObject(raw.code_analysis)) fail(['code_analysis'], 'must be an object', raw.code_analysis);

  for (const [from, to] of [
    [['code_analysis', 'host'], 'server.host'],
    [['code_analysis', 'port'], 'server.port'],
    [['server', 'host'], 'server.host'],
    [['server', 'port'], 'server.port'],
  ] as const) {
    const found = take(from);
    if (found !== undefined) use(from, to, found);
  }
  const level = take(['server', 'log_level']);
  if (level !== undefined) {
    const text = String(level).toLowerCase();
    use(['server', 'log_level'], 'log.level', LOG_LEVELS[text] ?? text);
  }

  for (const path of DATABASE_TYPES) {
    const type = take(path);
    if (type !== undefined && !SQLITE_TYPES.includes(type as string)) fail(path, 'must be sqlite or sqlite_proxy', type);
    if (type !== undefined) use(path, 'database.type', 'sqlite');
  }
  const databasePaths = DATABASE_PATHS.filter((path) => valueAt(raw, path) !== undefined);
  databasePaths.forEach((path, i) => {
    const found = pathString(path, take(path));
    if (i === 0) use(path, 'database.path', resolve(base, found));
    else warnings.push(`${path.join('.')} is an old layout key; ignored in favour of ${(databasePaths[0] as string[]).join('.')}`);
  });

  const watchDirs: string[] = [];
  for (const path of WATCH_DIRS) {
    const list = valueAt(raw, path);
    if (list === undefined) continue;
    if (!Array.isArray(list)) fail(path, 'must be an array', list);
    (list as unknown[]).forEach((entry, i) => {
      const entryPath = isPlainObject(entry) ? [...path, String(i), 'path'] : [...path, String(i)];
      watchDirs.push(resolve(base, pathString(entryPath, take(entryPath))));
    });
    // An empty list has no entries to mark, but it was read all the same.
    if ((list as unknown[]).length === 0) handled.add(path.join('.'));
    use(path, 'workers.indexer.watch_dirs', [...new Set(watchDirs)]);
  }

  let enabled: boolean | undefined;
  for (const section of WATCHERS) {
    const on = take([...section, 'enabled']);
    if (on !== undefined && typeof on !== 'boolean') fail([...section, 'enabled'], 'must be true or false', on);
    if (on !== undefined) {
      // Indexing needs both the watcher and the indexer of the old system switched on.
      enabled = (enabled ?? true) && (on as boolean);
      use([...section, 'enabled'], 'workers.indexer.enabled', enabled);
    }
    const seconds = section[section.length - 1] === 'file_watcher' ? take([...section, 'scan_interval']) : undefined;
    if (seconds !== undefined && (typeof seconds !== 'number' || !(seconds > 0))) {
      fail([...section, 'scan_interval'], 'must be a positive number of seconds', seconds);
    }
    if (seconds !== undefined) use([...section, 'scan_interval'], 'workers.indexer.scan_interval_ms', Math.round((seconds as number) * 1000));
  }

  const ignored = Object.entries(raw).flatMap(([key, node]) => untouched(node, [key], handled));
  if (ignored.length > 0) warnings.push(`old layout keys ignored (no counterpart here): ${ignored.join(', ')}`);
  return { value, warnings };
}
