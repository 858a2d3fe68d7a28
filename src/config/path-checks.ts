import { dirname } from 'node:path';
import type { FileSystem } from '../runtime/types.ts';
import { ConfigError } from './errors.ts';
import { type ConfigLayer, sourceOf } from './layer.ts';
import type { Config } from './schema.ts';

/** The path itself when it exists, else its nearest existing ancestor, and what that is. */
async function nearestExisting(fs: Pick<FileSystem, 'stat'>, path: string): Promise<{ path: string; isFile: boolean; isDirectory: boolean }> {
  let current = path;
  for (;;) {
    // A file among the ancestors makes stat fail (ENOTDIR): look further up.
    const info = await fs.stat(current).catch(() => null);
    if (info) return { path: current, isFile: info.isFile, isDirectory: info.isDirectory };
    const parent = dirname(current);
    if (parent === current) return { path: current, isFile: false, isDirectory: true };
    current = parent;
  }
}

/**
 * What validation cannot see: the configured paths against the file system. `data_dir`
 * must be (or be creatable as) a directory, and a SQLite `database.path` must not be a
 * directory nor lie under a file. Links are followed later, by whoever opens them.
 */
export async function checkConfigPaths(fs: Pick<FileSystem, 'stat'>, config: Config, layers: readonly ConfigLayer[]): Promise<void> {
  const problems: string[] = [];
  const from = (path: string[]) => `from ${sourceOf(layers, path)}`;
  const dataDir = await nearestExisting(fs, config.data_dir);
  if (dataDir.isFile) {
    const what = dataDir.path === config.data_dir ? 'is a file' : `lies under the file ${dataDir.path}`;
    problems.push(`data_dir: ${config.data_dir} ${what}, not a directory (${from(['data_dir'])})`);
  }
  if (config.database.type === 'sqlite' && !dataDir.isFile) {
    const database = await nearestExisting(fs, config.database.path);
    if (database.path === config.database.path && database.isDirectory) {
      problems.push(`database.path: ${config.database.path} is a directory, not a database file (${from(['database', 'path'])})`);
    } else if (database.path !== config.database.path && database.isFile) {
      problems.push(`database.path: ${config.database.path} lies under the file ${database.path} (${from(['database', 'path'])})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid config: ${problems.join('; ')}`);
}
