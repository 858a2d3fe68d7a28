import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeColumns } from '../../../src/driver/catalog.ts';
import { openBetterSqlite3 } from '../../../src/driver/sqlite/better-sqlite3-engine.ts';
import type { SqliteEngine } from '../../../src/driver/sqlite/engine.ts';
import { META_TABLE } from '../../../src/driver/meta-table.ts';
import { SqliteCatalog } from '../../../src/driver/sqlite/sqlite-catalog.ts';
import { deferCleanup } from '../../helpers/cleanup.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

let engine: SqliteEngine;
let catalog: SqliteCatalog;

beforeAll(async () => {
  engine = openBetterSqlite3(join(await makeTempDir(), 'catalog.db'));
  deferCleanup(() => engine.close());
  engine.exec(`
    CREATE TABLE people (
      id INTEGER PRIMARY KEY,
      name VARCHAR(40) NOT NULL DEFAULT 'nobody',
      born DATETIME DEFAULT CURRENT_TIMESTAMP,
      flag BOOL DEFAULT 1,
      anything,
      gadget WIDGET(3)
    );
    CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT);
    CREATE TABLE pairs (a INTEGER, b INTEGER, PRIMARY KEY (a, b));
    CREATE TABLE ${META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE "Alpha" (x INTEGER);
    CREATE INDEX people_name ON people (name);
    CREATE VIEW adults AS SELECT * FROM people;
  `);
  catalog = new SqliteCatalog(engine);
});

describe('SqliteCatalog', () => {
  it('lists user tables sorted, without views, indexes, sqlite_* and the meta table', () => {
    engine.exec('CREATE TABLE auto (id INTEGER PRIMARY KEY AUTOINCREMENT)'); // creates sqlite_sequence
    catalog.invalidate();
    expect(catalog.names()).toEqual(['Alpha', 'auto', 'codes', 'pairs', 'people']);
    expect(catalog.table(META_TABLE)?.name).toBe(META_TABLE);
    expect(catalog.table('sqlite_sequence')).toBeUndefined();
    expect(catalog.table('adults')).toBeUndefined();
  });

  it('looks tables up by exact name', () => {
    expect(catalog.table('people')?.name).toBe('people');
    expect(catalog.table('nope')).toBeUndefined();
    expect(catalog.table('Alpha')?.name).toBe('Alpha');
  });

  it('maps declared types to portable types, keeping unmapped and empty ones as null', () => {
    const columns = catalog.table('people')!.columns;
    expect([...columns.values()].map((column) => [column.name, column.type, column.declaredType])).toEqual([
      ['id', 'integer', 'INTEGER'],
      ['name', 'text', 'VARCHAR(40)'],
      ['born', 'timestamp', 'DATETIME'],
      ['flag', 'boolean', 'BOOL'],
      ['anything', null, ''],
      ['gadget', null, 'WIDGET(3)'],
    ]);
  });

  it('treats only an INTEGER PRIMARY KEY as implicitly NOT NULL', () => {
    const people = catalog.table('people')!.columns;
    expect(people.get('id')).toMatchObject({ primaryKey: true, notNull: true });
    expect(people.get('name')).toMatchObject({ primaryKey: false, notNull: true });
    expect(catalog.table('codes')!.columns.get('code')).toMatchObject({ primaryKey: true, notNull: false });
  });

  // Was a bug, fixed: every column of a composite key declared INTEGER counts as an INTEGER PRIMARY KEY (a rowid alias), so get_table_info reports it as not nullable, but SQLite accepts NULL there (only a single-column INTEGER PRIMARY KEY is a rowid alias).
  it('reports the INTEGER columns of a composite primary key as nullable, as SQLite treats them', () => {
    engine.run('INSERT INTO pairs (a, b) VALUES (NULL, NULL)');
    const pairs = catalog.table('pairs')!.columns;
    expect(pairs.get('a')).toMatchObject({ primaryKey: true, notNull: false });
    expect(pairs.get('b')).toMatchObject({ primaryKey: true, notNull: false });
  });

  it('describes columns for get_table_info', () => {
    expect(describeColumns(catalog.table('people')!)).toEqual([
      { name: 'id', type: 'integer', nullable: false, default: null, primary_key: true },
      { name: 'name', type: 'text', nullable: false, default: "'nobody'", primary_key: false },
      { name: 'born', type: 'timestamp', nullable: true, default: 'CURRENT_TIMESTAMP', primary_key: false },
      { name: 'flag', type: 'boolean', nullable: true, default: '1', primary_key: false },
      { name: 'anything', type: '', nullable: true, default: null, primary_key: false },
      { name: 'gadget', type: 'widget(3)', nullable: true, default: null, primary_key: false },
    ]);
  });

  it('caches the tables until invalidated', () => {
    engine.exec('CREATE TABLE later (x TEXT)');
    expect(catalog.table('later')).toBeUndefined();
    catalog.invalidate();
    expect(catalog.table('later')?.columns.get('x')?.type).toBe('text');
    engine.exec('DROP TABLE later');
    expect(catalog.names()).toContain('later');
    catalog.invalidate();
    expect(catalog.names()).not.toContain('later');
  });
});
