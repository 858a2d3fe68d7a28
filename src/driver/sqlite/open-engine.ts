import { embeddedAssets } from '../../runtime/index.ts';
import type { SqliteEngine, SqliteOpenOptions } from './engine.ts';

/** Which SQLite library to use: the runtime's own `node:sqlite` where it has one. */
export type SqliteLibrary = 'better-sqlite3' | 'node:sqlite';

/**
 * Open a connection. Inside the single executable better-sqlite3 cannot find its addon
 * itself: it gets the extracted one (`nativeBinding`, a path; on the main thread the loaded
 * addon is used when none is given).
 */
export async function openSqliteEngine(library: SqliteLibrary, path: string, options: SqliteOpenOptions & { nativeBinding?: string } = {}): Promise<SqliteEngine> {
  if (library === 'node:sqlite') return (await import('./node-sqlite-engine.ts')).openNodeSqlite(path, options);
  const nativeBinding = options.nativeBinding ?? embeddedAssets()?.sqliteAddon();
  return (await import('./better-sqlite3-engine.ts')).openBetterSqlite3(path, { ...options, nativeBinding });
}
