import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ExecuteParams, InsertParams, SelectParams, SyncSchemaParams, type SyncSchemaArgs } from '../../../src/driver/params.ts';
import type { SqliteDriver } from '../../../src/driver/sqlite/sqlite-driver.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { validate } from '../../../src/ipc/validate.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { openSqliteDriver } from '../../helpers/sqlite-driver.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

type Definition = SyncSchemaArgs['schema_definition'];
type TableArgs = Definition['tables'][number];

const projects: TableArgs = {
  name: 'projects',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'root', type: 'text', not_null: true, unique: true },
  ],
};
const symbols: TableArgs = {
  name: 'symbols',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'file_id', type: 'integer', not_null: true, references: { table: 'files', column: 'id', on_delete: 'cascade' } },
    { name: 'name', type: 'text', not_null: true },
  ],
  indexes: [{ name: 'symbols_name', columns: ['name'] }],
};
const v1: Definition = {
  version: '1',
  tables: [
    projects,
    {
      name: 'files',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'project_id', type: 'integer', not_null: true, references: { table: 'projects', column: 'id', on_delete: 'cascade' } },
        { name: 'path', type: 'text', not_null: true },
        { name: 'size', type: 'integer' },
        { name: 'rank', type: 'integer' },
        { name: 'owner', type: 'integer' },
        { name: 'note', type: 'text' },
        { name: 'lang', type: 'text', default: 'ts' },
      ],
      indexes: [
        { name: 'files_path', columns: ['project_id', 'path'], unique: true },
        { name: 'files_note', columns: ['note'] },
      ],
    },
    symbols,
    { name: 'tags', columns: [{ name: 'label', type: 'text', not_null: true }, { name: 'file_id', type: 'integer' }] },
  ],
};
/** Version 2 changes what ALTER TABLE cannot: types, NOT NULL, a dropped column, new foreign keys, a default. */
const v2Files: TableArgs = {
  name: 'files',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'project_id', type: 'integer', not_null: true, references: { table: 'projects', column: 'id', on_delete: 'cascade' } },
    { name: 'path', type: 'text', not_null: true },
    { name: 'size', type: 'integer', not_null: true },
    { name: 'rank', type: 'real' },
    { name: 'owner', type: 'integer', references: { table: 'projects', column: 'id', on_delete: 'set null' } },
    { name: 'lang', type: 'text', default: 'py' },
    { name: 'hash', type: 'text', not_null: true, default: '' },
  ],
  indexes: [
    { name: 'files_path', columns: ['project_id', 'path'], unique: true },
    { name: 'files_lang', columns: ['lang'] },
  ],
};
const v2Tags: TableArgs = {
  name: 'tags',
  columns: [
    { name: 'label', type: 'text', not_null: true },
    { name: 'file_id', type: 'integer', references: { table: 'files', column: 'id', on_delete: 'cascade' } },
  ],
};
const v2: Definition = { version: '2', tables: [projects, v2Files, symbols, v2Tags] };

const sync = (driver: SqliteDriver, definition: Definition, options: { dry_run?: boolean; backup_dir?: string } = {}) =>
  driver.syncSchema(validate(SyncSchemaParams, { schema_definition: definition, ...options }));
const sql = (driver: SqliteDriver, text: string, params: unknown[] = []) => driver.execute(validate(ExecuteParams, { sql: text, params }));
const select = async (driver: SqliteDriver, table: string, columns?: string[]) =>
  (await driver.select(validate(SelectParams, { table_name: table, ...(columns ? { columns } : {}), order_by: columns ? [columns[0]] : [] }))).data;

/** Every schema entry and every row of every table, read from the file by its own connection. */
function snapshot(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const schema = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
    const rows = Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT rowid AS _rowid_, * FROM "${name}" ORDER BY rowid`).all()]));
    return { schema, rows };
  } finally {
    db.close();
  }
}

/** A driver with a backup directory, on version 1 with rows, a table, index, trigger and view of its own. */
async function driverOnV1() {
  const dir = await makeTempDir();
  const backups = join(dir, 'backups');
  const path = join(dir, 'code.db');
  const { driver } = await openSqliteDriver({ path, backupDir: backups });
  await sync(driver, v1);
  await sql(driver, "INSERT INTO projects (id, root) VALUES (1, '/a'), (2, '/b')");
  await sql(
    driver,
    "INSERT INTO files (id, project_id, path, size, rank, owner, note, lang) VALUES (1, 1, 'a.ts', 10, 3, 2, 'n', 'ts'), (2, 1, 'b.ts', 20, NULL, NULL, NULL, 'js'), (3, 2, 'c.py', 30, 1, 1, 'm', 'py')",
  );
  await sql(driver, "INSERT INTO symbols (file_id, name) VALUES (1, 'A'), (1, 'B'), (3, 'C')");
  await sql(driver, "INSERT INTO tags (label, file_id) VALUES ('x', 1), ('gone', 2), ('y', 3)");
  // A gap in the rowids of a table without an INTEGER key: they must survive its rebuild.
  await sql(driver, "DELETE FROM tags WHERE label = 'gone'");
  // Made by someone else's connection, as `execute` takes one statement and a trigger holds several.
  const other = new Database(path);
  other.exec(`
    CREATE TABLE audit (path TEXT);
    CREATE INDEX audit_path ON audit (path);
    CREATE TRIGGER files_audit AFTER INSERT ON files BEGIN INSERT INTO audit (path) VALUES (NEW.path); END;
    CREATE VIEW file_paths AS SELECT path FROM files;
  `);
  other.close();
  return { driver, path, dir, backups };
}

describe('syncSchema rebuilding tables', () => {
  it('rebuilds an older version with data: rows, row ids, foreign keys, indexes, triggers and views survive', async () => {
    const { driver, path, backups } = await driverOnV1();
    const before = snapshot(path);
    const report = await sync(driver, v2);
    expect(report).toEqual({
      dry_run: false,
      version: '2',
      previous_version: '1',
      created_tables: [],
      altered_tables: [],
      rebuilt_tables: ['files', 'tags'],
      created_indexes: ['files_lang'],
      dropped_indexes: ['files_note'],
      backup_path: expect.stringMatching(/\/backups\/pre-sync-2-\d{8}T\d{9}Z\.db$/),
      unsupported: [],
      protected_tables: [],
    });
    expect(readdirSync(backups)).toEqual([report.backup_path!.split('/').pop()]);
    expect(await driver.getSchemaVersion()).toEqual({ version: '2' });

    expect(await select(driver, 'files', ['id', 'project_id', 'path', 'size', 'rank', 'owner', 'lang', 'hash'])).toEqual([
      { id: 1, project_id: 1, path: 'a.ts', size: 10, rank: 3, owner: 2, lang: 'ts', hash: '' },
      { id: 2, project_id: 1, path: 'b.ts', size: 20, rank: null, owner: null, lang: 'js', hash: '' },
      { id: 3, project_id: 2, path: 'c.py', size: 30, rank: 1, owner: 1, lang: 'py', hash: '' },
    ]);
    const info = (await driver.getTableInfo('files')).info;
    expect(info.map((column) => column.name)).toEqual(['id', 'project_id', 'path', 'size', 'rank', 'owner', 'lang', 'hash']);
    expect(info.find((column) => column.name === 'size')).toMatchObject({ nullable: false });
    expect(info.find((column) => column.name === 'rank')).toMatchObject({ type: 'real' });
    expect(info.find((column) => column.name === 'lang')).toMatchObject({ default: "'py'" });
    expect((await sql(driver, 'SELECT rowid AS r, label FROM tags ORDER BY rowid')).data).toEqual([
      { r: 1, label: 'x' },
      { r: 3, label: 'y' },
    ]);
    expect(await select(driver, 'symbols', ['id', 'file_id', 'name'])).toEqual([
      { id: 1, file_id: 1, name: 'A' },
      { id: 2, file_id: 1, name: 'B' },
      { id: 3, file_id: 3, name: 'C' },
    ]);

    // Foreign keys hold, old and new: none violated, new ones enforced, cascades still cascade.
    expect((await sql(driver, 'PRAGMA foreign_key_check')).data).toEqual([]);
    const orphan = await rejectionOf(driver.insert(validate(InsertParams, { table_name: 'tags', data: { label: 'z', file_id: 99 } })));
    expect(orphan.data?.database_code).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
    const noOwner = await rejectionOf(sql(driver, "INSERT INTO files (project_id, path, size, owner) VALUES (1, 'd.ts', 1, 99)"));
    expect(noOwner.data?.database_code).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
    await sql(driver, 'DELETE FROM files WHERE id = 1');
    expect(await select(driver, 'symbols', ['name'])).toEqual([{ name: 'C' }]);
    expect(await select(driver, 'tags', ['label'])).toEqual([{ label: 'y' }]);
    await sql(driver, 'DELETE FROM projects WHERE id = 1');
    expect(await select(driver, 'files', ['id', 'owner'])).toEqual([{ id: 3, owner: null }]);

    // Defined indexes remade, the undefined one gone; the table, index, trigger and view of others kept.
    const { data: schema } = await sql(driver, "SELECT type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
    expect(schema).toEqual([
      { type: 'index', name: 'audit_path', tbl_name: 'audit' },
      { type: 'index', name: 'files_lang', tbl_name: 'files' },
      { type: 'index', name: 'files_path', tbl_name: 'files' },
      { type: 'index', name: 'symbols_name', tbl_name: 'symbols' },
      { type: 'table', name: '_code_analysis_meta', tbl_name: '_code_analysis_meta' },
      { type: 'table', name: 'audit', tbl_name: 'audit' },
      { type: 'table', name: 'files', tbl_name: 'files' },
      { type: 'table', name: 'projects', tbl_name: 'projects' },
      { type: 'table', name: 'symbols', tbl_name: 'symbols' },
      { type: 'table', name: 'tags', tbl_name: 'tags' },
      { type: 'trigger', name: 'files_audit', tbl_name: 'files' },
      { type: 'view', name: 'file_paths', tbl_name: 'file_paths' },
    ]);
    await sql(driver, "INSERT INTO projects (id, root) VALUES (5, '/e')");
    await sql(driver, "INSERT INTO files (project_id, path, size) VALUES (5, 'e.ts', 1)");
    expect((await sql(driver, 'SELECT path FROM audit')).data).toEqual([{ path: 'e.ts' }]);
    expect((await sql(driver, 'SELECT path FROM file_paths ORDER BY path')).data).toEqual([{ path: 'c.py' }, { path: 'e.ts' }]);

    // The backup holds exactly the database as it was before the sync.
    expect(snapshot(report.backup_path!)).toEqual(before);

    // The same definition again changes nothing, and needs no backup.
    const again = await sync(driver, v2);
    expect(again).toEqual({ ...report, previous_version: '2', rebuilt_tables: [], created_indexes: [], dropped_indexes: [], backup_path: null });
    expect(readdirSync(backups)).toHaveLength(1);
  });

  it('a dry run reports what the sync would do and changes nothing, writing no backup', async () => {
    const { driver, path, backups } = await driverOnV1();
    const before = snapshot(path);
    const dry = await sync(driver, v2, { dry_run: true });
    expect(snapshot(path)).toEqual(before);
    expect(existsSync(backups)).toBe(false);
    expect(await driver.getSchemaVersion()).toEqual({ version: '1' });
    const applied = await sync(driver, v2);
    expect(dry).toEqual({ ...applied, dry_run: true, backup_path: null });
  });

  it.each([
    [
      'a new foreign key the rows violate (found by the foreign key check before COMMIT)',
      v2Tags,
      "INSERT INTO tags (label, file_id) VALUES ('orphan', 42)",
      'tags',
      /^foreign key check failed after the sync: 1 row\(s\) of table "tags" reference missing rows of "files"; nothing was changed$/,
      { table: 'tags', parent: 'files', violations: 1 },
    ],
    [
      'a new UNIQUE column the rows violate (found while copying)',
      { ...v2Tags, columns: [{ name: 'label', type: 'text', not_null: true, unique: true }, v2Tags.columns[1]!] },
      "INSERT INTO tags (label, file_id) VALUES ('x', 3)",
      'tags',
      /^sync of table "tags" failed: UNIQUE constraint failed: .*label; nothing was changed$/,
      { table: 'tags', database_code: 'SQLITE_CONSTRAINT_UNIQUE' },
    ],
  ])('a failure at a later table, %s, leaves schema and rows exactly as before', async (_label, lastTable, badRow, table, message, data) => {
    const { driver, path, backups } = await driverOnV1();
    await sql(driver, badRow);
    const before = snapshot(path);
    // Created, rebuilt and altered tables come first; the failing table is the last one.
    const definition: Definition = {
      version: '3',
      tables: [{ name: 'labels', columns: [{ name: 'id', type: 'integer', primary_key: true }] }, projects, v2Files, { ...symbols, columns: [...symbols.columns, { name: 'doc', type: 'text' }] }, lastTable],
    };
    const error = await rejectionOf(sync(driver, definition));
    expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
    expect(error.message).toMatch(message);
    const backupPath = error.data?.backup_path as string;
    expect(error.data).toEqual({ ...data, backup_path: backupPath });
    expect(error.data?.table).toBe(table);
    expect(snapshot(path)).toEqual(before);
    expect(await driver.getSchemaVersion()).toEqual({ version: '1' });
    expect(readdirSync(backups)).toEqual([backupPath.split('/').pop()]);
    expect(snapshot(backupPath)).toEqual(before);
    // The writer is usable and enforces foreign keys again.
    expect(driver.stats().open_transaction).toBeNull();
    const orphan = await rejectionOf(sql(driver, "INSERT INTO symbols (file_id, name) VALUES (99, 'Z')"));
    expect(orphan.data?.database_code).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
  });
});
