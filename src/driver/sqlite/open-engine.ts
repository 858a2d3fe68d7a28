import type { SqliteEngine, SqliteOpenOptions } from './engine.ts';

/** Which SQLite library to use: the runtime's own `node:sqlite` where it has one. */
export type SqliteLibrary = 'better-sqlite3' | 'node:sqlite';

export async function openSqliteEngine(library: SqliteLibrary, path: string, options: SqliteOpenOptions = {}): Promise<SqliteEngine> {
  if (library === 'node:sqlite') return (await import('./node-sqlite-engine.ts')).openNodeSqlite(path, options);
  return (await import('./better-sqlite3-engine.ts')).openBetterSqlite3(path, options);
}
