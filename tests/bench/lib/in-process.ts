import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ITEMS_DDL } from './bench-table.ts';

/**
 * The baseline: better-sqlite3 in the bench process itself, on the same kind of file the
 * driver opens (WAL, synchronous=FULL), with the same table.
 */
export function openBaseline(path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(ITEMS_DDL);
  return db;
}
