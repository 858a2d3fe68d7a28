import { resolve } from 'node:path';
import { deepMerge, isPlainObject, type PlainObject } from './layer.ts';

const isPath = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Make a layer's own relative paths absolute against `base` (the config file's folder, or
 * the working directory for the default, the environment and flags): `data_dir`, the watch
 * directories, the onnx embedding model's directory and, when `databasePath` is set,
 * `database.path`. Values that are not
 * non-empty strings are left for validation to report.
 */
export function resolveLayerPaths(value: PlainObject, base: string, options: { databasePath: boolean }): PlainObject {
  const overrides: PlainObject = {};
  if (isPath(value.data_dir)) overrides.data_dir = resolve(base, value.data_dir);
  const database = value.database;
  if (options.databasePath && isPlainObject(database) && isPath(database.path)) {
    overrides.database = { path: resolve(base, database.path) };
  }
  const indexer = isPlainObject(value.workers) ? value.workers.indexer : undefined;
  if (isPlainObject(indexer) && Array.isArray(indexer.watch_dirs)) {
    const watchDirs = indexer.watch_dirs.map((dir: unknown) => (isPath(dir) ? resolve(base, dir) : dir));
    overrides.workers = { indexer: { watch_dirs: watchDirs } };
  }
  const onnx = isPlainObject(value.embeddings) ? value.embeddings.onnx : undefined;
  if (isPlainObject(onnx) && isPath(onnx.model_dir)) overrides.embeddings = { onnx: { model_dir: resolve(base, onnx.model_dir) } };
  return deepMerge(value, overrides);
}

/** A relative `database.path` left by the default or a file resolves against the final `data_dir`. */
export function resolveDatabasePath(merged: PlainObject): PlainObject {
  const database = merged.database;
  if (!isPath(merged.data_dir) || !isPlainObject(database) || !isPath(database.path)) return merged;
  return deepMerge(merged, { database: { path: resolve(merged.data_dir, database.path) } });
}
