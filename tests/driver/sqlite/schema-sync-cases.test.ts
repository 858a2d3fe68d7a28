import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ExecuteParams, SyncSchemaParams, type SyncSchemaArgs } from '../../../src/driver/params.ts';
import { openBetterSqlite3 } from '../../../src/driver/sqlite/better-sqlite3-engine.ts';
import { readLiveTable } from '../../../src/driver/sqlite/live-table.ts';
import { preSyncFileName } from '../../../src/driver/sqlite/pre-sync-backup.ts';
import { rebuildReasons } from '../../../src/driver/sqlite/schema-diff.ts';
import { SchemaDefinitionSchema } from '../../../src/driver/table-schema.ts';
import type { SqliteDriver } from '../../../src/driver/sqlite/sqlite-driver.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { validate } from '../../../src/ipc/validate.ts';
import { deferCleanup } from '../../helpers/cleanup.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { openSqliteDriver } from '../../helpers/sqlite-driver.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

type Definition = SyncSchemaArgs['schema_definition'];
type TableArgs = Definition['tables'][number];

const sync = (driver: SqliteDriver, definition: Definition, options: { dry_run?: boolean; backup_dir?: string } = {}) =>
  driver.syncSchema(validate(SyncSchemaParams, { schema_definition: definition, ...options }));
const sql = async (driver: SqliteDriver, text: string) => (await driver.execute(validate(ExecuteParams, { sql: text }))).data;
const one = (version: string, table: TableArgs): Definition => ({ version, tables: [table] });

async function driverWithBackups() {
  const dir = await makeTempDir();
  const backups = join(dir, 'backups');
  const { driver } = await openSqliteDriver({ path: join(dir, 'x.db'), backupDir: backups });
  return { driver, dir, backups };
}

const items: TableArgs = {
  name: 'items',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'name', type: 'text' },
    { name: 'kind', type: 'text', not_null: true },
  ],
  indexes: [{ name: 'items_name', columns: ['name'] }],
};

describe('syncSchema backups', () => {
  it('names the file pre-sync-<version>-<UTC stamp>.db, the version made safe for a file name', () => {
    expect(preSyncFileName('2', new Date('2025-01-02T03:04:05.678Z'))).toBe('pre-sync-2-20250102T030405678Z.db');
    expect(preSyncFileName('1.2/../x y', new Date(0))).toBe('pre-sync-1.2_.._x_y-19700101T000000000Z.db');
  });

  it('writes into backup_dir when given, creating it, instead of the driver\'s directory', async () => {
    const { driver, dir, backups } = await driverWithBackups();
    await sync(driver, one('1', items));
    const custom = join(dir, 'custom', 'nested');
    const report = await sync(driver, one('2', { ...items, indexes: [] }), { backup_dir: custom });
    expect(report.dropped_indexes).toEqual(['items_name']);
    expect(report.backup_path).toBe(join(custom, readdirSync(custom)[0]!));
    expect(existsSync(backups)).toBe(false);
  });

  it('refuses the sync, naming backup_dir, when the backup cannot be written, and leaves no file behind', async () => {
    const { driver, dir } = await openSqliteDriver();
    await sync(driver, one('1', items));
    await writeFile(join(dir, 'a-file'), 'not a directory');
    const unusable = join(dir, 'a-file', 'backups');
    const error = await rejectionOf(sync(driver, one('2', { ...items, indexes: [] }), { backup_dir: unusable }));
    expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
    expect(error.message).toMatch(/^cannot write the backup .*\/a-file\/backups\/pre-sync-2-\w+\.db before the sync: .*; nothing was changed$/);
    expect(error.data).toMatchObject({ field: 'backup_dir' });
    expect(await driver.getSchemaVersion()).toEqual({ version: '1' });
    const missing = join(dir, 'missing');
    const report = await sync(driver, one('2', { ...items, indexes: [] }), { backup_dir: missing });
    expect(report.backup_path).toMatch(/\/missing\/pre-sync-2-\w+\.db$/);
    expect(readdirSync(missing)).toEqual([report.backup_path!.split('/').pop()]);
    expect(await driver.getSchemaVersion()).toEqual({ version: '2' });
  });

  it('takes no backup for pure additions', async () => {
    const { driver, backups } = await driverWithBackups();
    await sync(driver, one('1', items));
    const report = await sync(driver, one('2', { ...items, columns: [...items.columns, { name: 'extra', type: 'text' }], indexes: [...items.indexes!, { name: 'items_kind', columns: ['kind'] }] }));
    expect(report).toMatchObject({ altered_tables: [{ table: 'items', added_columns: ['extra'] }], created_indexes: ['items_kind'], backup_path: null });
    expect(existsSync(backups)).toBe(false);
  });
});

describe('syncSchema rebuild rules', () => {
  it('refuses NOT NULL on a column holding NULL, dry run or not, naming table and column', async () => {
    const { driver } = await driverWithBackups();
    await sync(driver, one('1', items));
    await sql(driver, "INSERT INTO items (name, kind) VALUES (NULL, 'a')");
    const strict = one('2', { ...items, columns: [items.columns[0]!, { name: 'name', type: 'text', not_null: true }, items.columns[2]!] });
    for (const dry_run of [true, false]) {
      const error = await rejectionOf(sync(driver, strict, { dry_run }));
      expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
      expect(error.message).toBe('cannot make items.name NOT NULL: some rows hold NULL there');
      expect(error.data).toEqual({ table: 'items', column: 'name' });
    }
    expect(await driver.getSchemaVersion()).toEqual({ version: '1' });
  });

  it('rebuilds for a new NOT NULL column without a default on an empty table, a removed NOT NULL and a changed key', async () => {
    const { driver } = await driverWithBackups();
    await sync(driver, { version: '1', tables: [items, { name: 'pairs', columns: [{ name: 'a', type: 'text', primary_key: true }, { name: 'b', type: 'text', not_null: true }] }] });
    await sql(driver, "INSERT INTO pairs (a, b) VALUES ('x', 'y')");
    const report = await sync(driver, {
      version: '2',
      tables: [
        { ...items, columns: [...items.columns, { name: 'hash', type: 'text', not_null: true }] },
        { name: 'pairs', columns: [{ name: 'a', type: 'text', primary_key: true }, { name: 'b', type: 'text', primary_key: true }] },
      ],
    });
    expect(report.rebuilt_tables).toEqual(['items', 'pairs']);
    expect((await driver.getTableInfo('items')).info.find((column) => column.name === 'hash')).toMatchObject({ nullable: false });
    expect((await driver.getTableInfo('pairs')).info.map((column) => column.primary_key)).toEqual([true, true]);
    expect(await sql(driver, 'SELECT a, b FROM pairs')).toEqual([{ a: 'x', b: 'y' }]);
    const loose = await sync(driver, { version: '3', tables: [{ ...items, columns: [items.columns[0]!, items.columns[1]!, { name: 'kind', type: 'text' }] }] });
    expect(loose.rebuilt_tables).toEqual(['items']);
    expect((await driver.getTableInfo('items')).info.find((column) => column.name === 'kind')).toMatchObject({ nullable: true });
  });

  it('drops and remakes an index whose definition changed; leaves autoindexes, other tables and their indexes alone', async () => {
    const { driver, backups } = await driverWithBackups();
    const unique: TableArgs = { ...items, columns: [...items.columns, { name: 'code', type: 'text', unique: true }] };
    await sync(driver, one('1', unique));
    await sql(driver, 'CREATE TABLE other (x TEXT)');
    await sql(driver, 'CREATE INDEX other_x ON other (x)');
    await sql(driver, 'CREATE INDEX items_expr ON items (lower(name))');
    const report = await sync(driver, one('2', { ...unique, indexes: [{ name: 'items_name', columns: ['name', 'kind'], unique: true }] }));
    expect(report).toMatchObject({ rebuilt_tables: [], dropped_indexes: ['items_expr', 'items_name'], created_indexes: ['items_name'] });
    expect(readdirSync(backups)).toHaveLength(1);
    expect(await sql(driver, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name <> '_code_analysis_meta' ORDER BY name")).toEqual([
      { name: 'items_name' },
      { name: 'other_x' },
      { name: 'sqlite_autoindex_items_1' },
    ]);
    expect(await sql(driver, 'SELECT "unique", name FROM pragma_index_list(\'items\') WHERE name = \'items_name\'')).toEqual([{ unique: 1, name: 'items_name' }]);
    expect((await driver.listTables()).tables).toContain('other');
  });

  it('rebuilds tables made by hand whose constraints the definition cannot express', async () => {
    const { driver } = await driverWithBackups();
    await sql(driver, 'CREATE TABLE parent (x INTEGER, y INTEGER, PRIMARY KEY (x, y))');
    await sql(driver, 'CREATE TABLE child (a INTEGER, b INTEGER, UNIQUE (a, b), FOREIGN KEY (a, b) REFERENCES parent (x, y))');
    await sql(driver, 'CREATE TABLE keyed (k TEXT PRIMARY KEY NOT NULL, v TEXT) WITHOUT ROWID');
    await sql(driver, "INSERT INTO keyed VALUES ('a', 'b')");
    const child: TableArgs = { name: 'child', columns: [{ name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }] };
    const keyed: TableArgs = { name: 'keyed', columns: [{ name: 'k', type: 'text', primary_key: true }, { name: 'v', type: 'text' }] };
    const report = await sync(driver, { version: '1', tables: [child, keyed] });
    expect(report.rebuilt_tables).toEqual(['child', 'keyed']);
    expect(await sql(driver, 'SELECT k, v FROM keyed')).toEqual([{ k: 'a', v: 'b' }]);
    expect(await sql(driver, "SELECT * FROM pragma_foreign_key_list('child')")).toEqual([]);
    // A WITHOUT ROWID table whose columns are all replaced cannot carry its rows over.
    await sql(driver, 'CREATE TABLE bare (k TEXT PRIMARY KEY) WITHOUT ROWID');
    await sql(driver, "INSERT INTO bare VALUES ('a')");
    const error = await rejectionOf(sync(driver, one('2', { name: 'bare', columns: [{ name: 'other', type: 'text' }] }), { dry_run: true }));
    expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
    expect(error.message).toBe('cannot rebuild table "bare": none of its columns survive to carry its rows over');
    expect(error.data).toEqual({ table: 'bare' });
  });

  it('plans a rebuild for an untyped live column whose definition has a type, and none for a matching SQL type name', async () => {
    const { driver } = await openSqliteDriver();
    await sql(driver, 'CREATE TABLE raw (a, b VARCHAR(5))');
    const report = await sync(
      driver,
      { version: '5', tables: [{ name: 'raw', columns: [{ name: 'a', type: 'text' }, { name: 'b', type: 'varchar(5)' }] }] },
      { dry_run: true },
    );
    expect(report).toMatchObject({ rebuilt_tables: ['raw'], created_tables: [], altered_tables: [] });
    await sql(driver, "CREATE TABLE raw2 (b VARCHAR(5), n INT NOT NULL DEFAULT (0), t TEXT DEFAULT 'x')");
    const same = await sync(
      driver,
      {
        version: '5',
        tables: [{ name: 'raw2', columns: [{ name: 'b', type: 'text' }, { name: 'n', type: 'bigint', not_null: true, default: 0 }, { name: 't', type: 'text', default: 'x' }] }],
      },
      { dry_run: true },
    );
    expect(same).toMatchObject({ rebuilt_tables: [], altered_tables: [], created_tables: [] });
  });

  it('names every difference that needs a rebuild, and none for a table made from its definition', async () => {
    const engine = openBetterSqlite3(join(await makeTempDir(), 'reasons.db'));
    deferCleanup(() => engine.close());
    engine.exec(`CREATE TABLE p (id INTEGER PRIMARY KEY);
      CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER NOT NULL, c TEXT DEFAULT 'x', d INTEGER, gone TEXT, UNIQUE (a, b))`);
    const [table] = v.parse(SchemaDefinitionSchema, {
      version: '1',
      tables: [
        {
          name: 't',
          columns: [
            { name: 'id', type: 'text', primary_key: true },
            { name: 'a', type: 'json' },
            { name: 'b', type: 'integer' },
            { name: 'c', type: 'text', default: 'y' },
            { name: 'd', type: 'integer', references: { table: 'p', column: 'id' } },
            { name: 'e', type: 'text', unique: true },
          ],
        },
      ],
    }).tables;
    expect(rebuildReasons(table!, readLiveTable(engine, 't'))).toEqual([
      't.id: type integer -> text',
      't.a: type text -> json',
      't.b: NOT NULL removed',
      't.c: default changed',
      't.d: foreign key changed',
      't.e: new column ALTER TABLE cannot add',
      't.gone: column dropped',
      't: UNIQUE constraints changed',
    ]);
  });
});
