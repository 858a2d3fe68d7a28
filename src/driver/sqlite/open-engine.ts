import { embeddedAssets } from '../../runtime/index.ts';
import type { SqliteEngine, SqliteOpenOptions } from './engine.ts';

/** Which SQLite library to use: the runtime's own `node:sqlite` where it has one. */
export type SqliteLibrary = 'better-sqlite3' | 'node:sqlite';

export async function openSqliteEngine(library: SqliteLibrary, path: string, options: SqliteOpenOptions = {}): Promise<SqliteEngine> {
  if (library === 'node:sqlite') return (await import('./node-sqlite-engine.ts')).openNodeSqlite(path, options);
  // Inside the single executable better-sqlite3 cannot find its addon itself: it gets the extracted one.
  const nativeBinding = embeddedAssets()?.sqliteAddon();
  return (await import('./better-sqlite3-engine.ts')).openBetterSqlite3(path, { ...options, nativeBinding });
}
