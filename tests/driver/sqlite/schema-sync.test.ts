import { join } from 'node:path';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeleteParams, ExecuteParams, InsertManyParams, InsertParams, SelectParams, SyncSchemaParams, type SyncSchemaArgs } from '../../../src/driver/params.ts';
import { openBetterSqlite3 } from '../../../src/driver/sqlite/better-sqlite3-engine.ts';
import { META_TABLE, recordMetaStatements } from '../../../src/driver/meta-table.ts';
import { planSchemaSync, readMeta } from '../../../src/driver/sqlite/schema-sync.ts';
import { SqliteCatalog } from '../../../src/driver/sqlite/sqlite-catalog.ts';
import { sqliteDialect } from '../../../src/driver/sqlite/sqlite-dialect.ts';
import type { SqliteDriver } from '../../../src/driver/sqlite/sqlite-driver.ts';
import { SchemaDefinitionSchema } from '../../../src/driver/table-schema.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { validate } from '../../../src/ipc/validate.ts';
import { deferCleanup } from '../../helpers/cleanup.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { openSqliteDriver } from '../../helpers/sqlite-driver.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

type Definition = SyncSchemaArgs['schema_definition'];
type TableArgs = Definition['tables'][number];

const projects: TableArgs = {
  name: 'projects',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'root', type: 'text', not_null: true },
  ],
};
const files: TableArgs = {
  name: 'files',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'project_id', type: 'integer', not_null: true, references: { table: 'projects', column: 'id', on_delete: 'cascade' } },
    { name: 'path', type: 'text', nullable: false },
  ],
  indexes: [{ name: 'files_path', columns: ['project_id', 'path'], unique: true }],
};
const v1: Definition = { version: '1', tables: [projects, files] };

/** `base` with extra columns (and indexes) on one table, under a new version. */
function withFiles(version: string, extra: { columns?: TableArgs['columns']; indexes?: NonNullable<TableArgs['indexes']> }, tables: TableArgs[] = []): Definition {
  return {
    version,
    tables: [
      ...tables,
      projects,
      { ...files, columns: [...files.columns, ...(extra.columns ?? [])], indexes: [...(files.indexes ?? []), ...(extra.indexes ?? [])] },
    ],
  };
}

const sync = (driver: SqliteDriver, definition: Definition, options: { dry_run?: boolean } = {}) =>
  driver.syncSchema(validate(SyncSchemaParams, { schema_definition: definition, ...options }));

const columnsOf = async (driver: SqliteDriver, table: string) => (await driver.getTableInfo(table)).info.map((column) => column.name);

const scratch: TableArgs = { name: 'scratch', columns: [{ name: 'x', type: 'text' }] };

/** What version 2 adds to `files`. */
const v2Columns: TableArgs['columns'] = [
  { name: 'size', type: 'integer', not_null: true, default: 0 },
  { name: 'note', type: 'text' },
  { name: 'owner', type: 'integer', references: { table: 'projects', column: 'id', on_delete: 'set_null' } },
];
const v2Indexes = [{ name: 'files_size', columns: ['size'] }];

describe('syncSchema', () => {
  let driver: SqliteDriver;

  beforeAll(async () => {
    ({ driver } = await openSqliteDriver());
  });

  it('creates the missing tables with their indexes and records the version', async () => {
    expect(await sync(driver, v1)).toEqual({
      dry_run: false,
      version: '1',
      previous_version: null,
      created_tables: ['projects', 'files'],
      altered_tables: [],
      rebuilt_tables: [],
      created_indexes: ['files_path'],
      dropped_indexes: [],
      backup_path: null,
      unsupported: [],
      protected_tables: [],
    });
    expect(await driver.getSchemaVersion()).toEqual({ version: '1' });
    expect((await driver.listTables()).tables).toEqual(['files', 'projects']);
  });

  it('changes nothing when the database already matches', async () => {
    expect(await sync(driver, v1)).toMatchObject({
      previous_version: '1',
      created_tables: [],
      altered_tables: [],
      created_indexes: [],
      unsupported: [],
      protected_tables: [],
    });
  });

  it('adds nullable columns and NOT NULL columns with a default, filling existing rows', async () => {
    await driver.insert(validate(InsertParams, { table_name: 'projects', data: { id: 1, root: '/src' } }));
    await driver.insert(validate(InsertParams, { table_name: 'files', data: { project_id: 1, path: 'a.ts' } }));
    const report = await sync(
      driver,
      withFiles('2', { columns: v2Columns, indexes: v2Indexes }),
    );
    expect(report).toMatchObject({
      version: '2',
      previous_version: '1',
      created_tables: [],
      altered_tables: [{ table: 'files', added_columns: ['size', 'note', 'owner'] }],
      created_indexes: ['files_size'],
    });
    const { data } = await driver.select(validate(SelectParams, { table_name: 'files', columns: ['path', 'size', 'note', 'owner'] }));
    expect(data).toEqual([{ path: 'a.ts', size: 0, note: null, owner: null }]);
    const refused = await rejectionOf(driver.insert(validate(InsertParams, { table_name: 'files', data: { project_id: 1, path: 'b.ts', size: null } })));
    expect(refused.data?.database_code).toBe('SQLITE_CONSTRAINT_NOTNULL');
    expect(await driver.getSchemaVersion()).toEqual({ version: '2' });
  });

  it.each([
    ['NOT NULL without a default', { name: 'hash', type: 'text', not_null: true }],
    ['NOT NULL (nullable: false) without a default', { name: 'hash', type: 'text', nullable: false }],
    ['PRIMARY KEY (so NOT NULL) without a default', { name: 'hash', type: 'text', primary_key: true }],
  ])('refuses to add a %s column to a table with rows, with SCHEMA_ERROR naming table.column, changing nothing', async (_label, column) => {
    const definition = withFiles('3', { columns: [column as TableArgs['columns'][number]] }, [scratch]);
    for (const dry_run of [true, false]) {
      const error = await rejectionOf(sync(driver, definition, { dry_run }));
      expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
      expect(error.message).toBe('cannot add column files.hash: it is NOT NULL without a default and the table has rows');
      expect(error.data).toEqual({ table: 'files', column: 'hash' });
    }
    expect((await driver.listTables()).tables).toEqual(['files', 'projects']);
    expect(await columnsOf(driver, 'files')).not.toContain('hash');
    expect(await driver.getSchemaVersion()).toEqual({ version: '2' });
  });

  it.each([
    ['UNIQUE', { name: 'hash', type: 'text', unique: true }],
    ['CURRENT_TIMESTAMP default', { name: 'seen', type: 'timestamp', default: 'CURRENT_TIMESTAMP' }],
    ['REFERENCES with a default', { name: 'main_project', type: 'integer', default: 1, references: { table: 'projects', column: 'id' } }],
  ])('plans a rebuild for a new %s column, and refuses to make it without a backup directory', async (_label, column) => {
    const definition = withFiles('3', { columns: [...v2Columns, column as TableArgs['columns'][number]], indexes: v2Indexes }, [scratch]);
    expect(await sync(driver, definition, { dry_run: true })).toMatchObject({
      created_tables: ['scratch'],
      altered_tables: [],
      rebuilt_tables: ['files'],
      backup_path: null,
    });
    const error = await rejectionOf(sync(driver, definition));
    expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
    expect(error.message).toBe(
      "rebuilding files needs a backup first, and no backup directory is available (pass backup_dir or configure the driver's); nothing was changed",
    );
    expect(error.data).toEqual({ field: 'backup_dir' });
    expect((await driver.listTables()).tables).toEqual(['files', 'projects']);
    expect(await columnsOf(driver, 'files')).toEqual(['id', 'project_id', 'path', 'size', 'note', 'owner']);
    expect(await driver.getSchemaVersion()).toEqual({ version: '2' });
  });

  it('plans a type change, a dropped column, a dropped foreign key and dropped indexes as a rebuild, and never makes it without a backup', async () => {
    const changed: Definition = {
      version: '4',
      tables: [
        projects,
        {
          name: 'files',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: 'project_id', type: 'integer', not_null: true },
            { name: 'path', type: 'json', not_null: true },
            { name: 'size', type: 'integer', not_null: true, default: 0 },
            { name: 'owner', type: 'integer', references: { table: 'projects', column: 'id', on_delete: 'set_null' } },
          ],
        },
      ],
    };
    const report = await sync(driver, changed, { dry_run: true });
    expect(report).toMatchObject({ rebuilt_tables: ['files'], dropped_indexes: ['files_path', 'files_size'], created_indexes: [], altered_tables: [], unsupported: [] });
    const error = await rejectionOf(sync(driver, changed));
    expect(error.message).toMatch(/^rebuilding files and dropping index files_path, files_size needs a backup first/);
    const info = (await driver.getTableInfo('files')).info;
    expect(info.find((column) => column.name === 'path')?.type).toBe('text');
    expect(info.map((column) => column.name)).toContain('note');
    expect(await driver.getSchemaVersion()).toEqual({ version: '2' });
  });

  it('refuses a table defined twice, or the driver\'s own table, with SCHEMA_ERROR, changing nothing', async () => {
    const error = await rejectionOf(sync(driver, { version: '6', tables: [scratch, projects, { ...projects, columns: [{ name: 'id', type: 'integer' }] }] }));
    expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
    expect(error.message).toBe('table "projects" is defined twice');
    expect(error.data).toEqual({ table: 'projects' });
    const own = await rejectionOf(sync(driver, { version: '6', tables: [scratch, { name: META_TABLE, columns: [{ name: 'key', type: 'text' }] }] }));
    expect(own.code).toBe(ErrorCode.SCHEMA_ERROR);
    expect(own.message).toBe(`table "${META_TABLE}" is the driver's own and cannot be defined`);
    expect((await driver.listTables()).tables).not.toContain('scratch');
    expect(await driver.getSchemaVersion()).toEqual({ version: '2' });
  });

  it('applies all or nothing: a statement SQLite refuses rolls the whole sync back, with SCHEMA_ERROR naming the table', async () => {
    // A unique index over rows that are not unique passes the plan and fails in SQLite.
    const projectId = Number((await driver.insert(validate(InsertParams, { table_name: 'projects', data: { root: '/p' } }))).row_id);
    await driver.insertMany(validate(InsertManyParams, { table_name: 'files', rows: [{ project_id: projectId, path: 'a' }, { project_id: projectId, path: 'b' }] }));
    const definition = withFiles('7', { columns: v2Columns, indexes: [...v2Indexes, { name: 'files_one_per_project', columns: ['project_id'], unique: true }] }, [scratch]);
    const error = await rejectionOf(sync(driver, definition));
    expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
    expect(error.message).toMatch(/^sync of table "files" failed: UNIQUE constraint failed: files\.project_id; nothing was changed$/);
    expect(error.data).toEqual({ table: 'files', database_code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect((await driver.listTables()).tables).not.toContain('scratch');
    expect(await driver.getSchemaVersion()).toEqual({ version: '2' });
    expect(driver.stats().open_transaction).toBeNull();
    await driver.delete(validate(DeleteParams, { table_name: 'files', where: { project_id: projectId } }));
  });

  it('records a new version even when nothing else changes, and nothing at all for the same version', async () => {
    const definition = withFiles('8', { columns: v2Columns, indexes: v2Indexes });
    expect(await sync(driver, definition)).toMatchObject({ previous_version: '2', version: '8', created_tables: [], rebuilt_tables: [], dropped_indexes: [] });
    expect(await driver.getSchemaVersion()).toEqual({ version: '8' });
    expect(await sync(driver, definition)).toMatchObject({ previous_version: '8', version: '8', altered_tables: [], created_indexes: [] });
  });
});

describe('syncSchema with dry_run', () => {
  it('reports the whole plan on an empty database and changes nothing, not even the version table', async () => {
    const { driver } = await openSqliteDriver();
    const report = await sync(driver, v1, { dry_run: true });
    expect(report).toMatchObject({ dry_run: true, version: '1', previous_version: null, created_tables: ['projects', 'files'], created_indexes: ['files_path'] });
    const { data } = await driver.execute(validate(ExecuteParams, { sql: 'SELECT name FROM sqlite_schema' }));
    expect(data).toEqual([]);
    expect(await driver.getSchemaVersion()).toEqual({ version: null });
  });

  it('reports added columns, indexes and rebuilds without applying them', async () => {
    const { driver } = await openSqliteDriver();
    await sync(driver, v1);
    const next: Definition = {
      version: '2',
      tables: [
        { name: 'projects', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'root', type: 'blob' }] },
        { ...files, columns: [...files.columns, { name: 'size', type: 'integer' }], indexes: [{ name: 'files_size', columns: ['size'] }] },
        scratch,
      ],
    };
    const report = await sync(driver, next, { dry_run: true });
    expect(report).toMatchObject({
      dry_run: true,
      version: '2',
      previous_version: '1',
      created_tables: ['scratch'],
      altered_tables: [{ table: 'files', added_columns: ['size'] }],
      created_indexes: ['files_size'],
      rebuilt_tables: ['projects'],
      unsupported: [],
      protected_tables: [],
    });
    expect((await driver.listTables()).tables).toEqual(['files', 'projects']);
    expect(await columnsOf(driver, 'files')).toEqual(['id', 'project_id', 'path']);
    const indexes = await driver.execute(validate(ExecuteParams, { sql: "SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'files_size'" }));
    expect(indexes.data).toEqual([]);
    expect(await driver.getSchemaVersion()).toEqual({ version: '1' });
  });
});

describe('planSchemaSync and readMeta', () => {
  it('plan exactly the DDL to run', async () => {
    const engine = openBetterSqlite3(join(await makeTempDir(), 'plan.db'));
    deferCleanup(() => engine.close());
    const catalog = new SqliteCatalog(engine);
    const first = planSchemaSync(engine, catalog, v.parse(SchemaDefinitionSchema, v1), false, readMeta(engine, catalog));
    expect(first.steps.map((step) => step.sql)).toEqual([
      'CREATE TABLE "projects" ("id" INTEGER PRIMARY KEY, "root" TEXT NOT NULL)',
      'CREATE TABLE "files" ("id" INTEGER PRIMARY KEY, "project_id" INTEGER NOT NULL REFERENCES "projects" ("id") ON DELETE CASCADE, "path" TEXT NOT NULL)',
      'CREATE UNIQUE INDEX "files_path" ON "files" ("project_id", "path")',
    ]);
    for (const step of first.steps) engine.exec(step.sql);
    catalog.invalidate();
    expect(readMeta(engine, catalog)).toEqual({ version: null, protectedTables: [] });
    const definition = v.parse(SchemaDefinitionSchema, withFiles('2', { columns: [{ name: 'size', type: 'integer', not_null: true, default: 0 }] }));
    const second = planSchemaSync(engine, catalog, definition, true, readMeta(engine, catalog));
    expect(second.steps.map((step) => step.sql)).toEqual(['ALTER TABLE "files" ADD COLUMN "size" INTEGER NOT NULL DEFAULT 0']);
    expect(second.report).toMatchObject({ dry_run: true, previous_version: null, altered_tables: [{ table: 'files', added_columns: ['size'] }] });
  });

  it('read the version and the protected tables from the meta table, overwritten by each record', async () => {
    const engine = openBetterSqlite3(join(await makeTempDir(), 'version.db'));
    deferCleanup(() => engine.close());
    const catalog = new SqliteCatalog(engine);
    for (const changes of [{ version: '1', protectedTables: ['files'] }, { version: '2' }]) {
      for (const statement of recordMetaStatements(sqliteDialect, changes)) engine.run(statement.sql, statement.params);
    }
    catalog.invalidate();
    expect(readMeta(engine, catalog)).toEqual({ version: '2', protectedTables: ['files'] });
    expect(engine.all(`SELECT count(*) AS n FROM "${META_TABLE}"`)).toEqual([{ n: 2n }]);
  });
});
