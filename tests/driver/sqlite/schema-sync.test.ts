import { join } from 'node:path';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeleteParams, ExecuteParams, InsertManyParams, InsertParams, SelectParams, SyncSchemaParams, type SyncSchemaArgs } from '../../../src/driver/params.ts';
import { openBetterSqlite3 } from '../../../src/driver/sqlite/better-sqlite3-engine.ts';
import { planSchemaSync, readSchemaVersion, recordVersionStatements } from '../../../src/driver/sqlite/schema-sync.ts';
import { META_TABLE, SqliteCatalog } from '../../../src/driver/sqlite/sqlite-catalog.ts';
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
    });
  });

  it('adds nullable columns and NOT NULL columns with a default, filling existing rows', async () => {
    await driver.insert(validate(InsertParams, { table_name: 'projects', data: { id: 1, root: '/src' } }));
    await driver.insert(validate(InsertParams, { table_name: 'files', data: { project_id: 1, path: 'a.ts' } }));
    const report = await sync(
      driver,
      withFiles('2', {
        columns: [
          { name: 'size', type: 'integer', not_null: true, default: 0 },
          { name: 'note', type: 'text' },
          { name: 'owner', type: 'integer', references: { table: 'projects', column: 'id', on_delete: 'set_null' } },
        ],
        indexes: [{ name: 'files_size', columns: ['size'] }],
      }),
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
    ['UNIQUE', { name: 'hash', type: 'text', unique: true }],
    ['PRIMARY KEY', { name: 'hash', type: 'text', primary_key: true }],
  ])('refuses to add a %s column with SCHEMA_ERROR naming table.column, changing nothing', async (_label, column) => {
    const definition = withFiles('3', { columns: [column as TableArgs['columns'][number]] }, [scratch]);
    for (const dry_run of [true, false]) {
      const error = await rejectionOf(sync(driver, definition, { dry_run }));
      expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
      expect(error.message).toMatch(/^cannot add column files\.hash: .* needs a table rebuild$/);
      expect(error.data).toEqual({ table: 'files', column: 'hash' });
    }
    expect((await driver.listTables()).tables).toEqual(['files', 'projects']);
    expect(await columnsOf(driver, 'files')).not.toContain('hash');
    expect(await driver.getSchemaVersion()).toEqual({ version: '2' });
  });

  it('reports a type change and a dropped column as unsupported and leaves them as they are', async () => {
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
            { name: 'owner', type: 'integer' },
          ],
        },
      ],
    };
    const report = await sync(driver, changed);
    expect(report.unsupported).toEqual(['files.path: type text -> json needs a table rebuild', 'files.note: dropping a column needs a table rebuild']);
    expect(report.altered_tables).toEqual([]);
    expect(report.rebuilt_tables).toEqual([]);
    const info = (await driver.getTableInfo('files')).info;
    expect(info.find((column) => column.name === 'path')?.type).toBe('text');
    expect(info.map((column) => column.name)).toContain('note');
    expect(await driver.getSchemaVersion()).toEqual({ version: '4' });
  });

  it('reports an untyped live column whose definition has a type', async () => {
    await driver.execute(validate(ExecuteParams, { sql: 'CREATE TABLE raw (a, b TEXT)' }));
    const report = await sync(driver, {
      version: '5',
      tables: [{ name: 'raw', columns: [{ name: 'a', type: 'text' }, { name: 'b', type: 'varchar(5)' }] }],
    });
    expect(report.unsupported).toEqual(['raw.a: type untyped -> text needs a table rebuild']);
  });

  it('refuses a table defined twice with SCHEMA_ERROR, changing nothing', async () => {
    const error = await rejectionOf(sync(driver, { version: '6', tables: [scratch, projects, { ...projects, columns: [{ name: 'id', type: 'integer' }] }] }));
    expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
    expect(error.message).toBe('table "projects" is defined twice');
    expect(error.data).toEqual({ table: 'projects' });
    expect((await driver.listTables()).tables).not.toContain('scratch');
    expect(await driver.getSchemaVersion()).toEqual({ version: '5' });
  });

  it('applies all or nothing: a statement SQLite refuses rolls the whole sync back', async () => {
    // A unique index over rows that are not unique passes the plan and fails in SQLite.
    const projectId = Number((await driver.insert(validate(InsertParams, { table_name: 'projects', data: { root: '/p' } }))).row_id);
    await driver.insertMany(validate(InsertManyParams, { table_name: 'files', rows: [{ project_id: projectId, path: 'a' }, { project_id: projectId, path: 'b' }] }));
    const definition = withFiles('7', { indexes: [{ name: 'files_one_per_project', columns: ['project_id'], unique: true }] }, [scratch]);
    const error = await rejectionOf(sync(driver, definition));
    expect(error.code).toBe(ErrorCode.DATABASE_ERROR);
    expect(error.data?.database_code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect((await driver.listTables()).tables).not.toContain('scratch');
    expect(await driver.getSchemaVersion()).toEqual({ version: '5' });
    expect(driver.stats().open_transaction).toBeNull();
    await driver.delete(validate(DeleteParams, { table_name: 'files', where: { project_id: projectId } }));
  });

  // Regression: SQLite cannot ADD a column with a non-constant default; the plan must say so.
  it('refuses, already in dry run, to add a column with a CURRENT_TIMESTAMP default', async () => {
    const definition = withFiles('7', { columns: [{ name: 'seen', type: 'timestamp', default: 'CURRENT_TIMESTAMP' }] });
    const error = await rejectionOf(sync(driver, definition, { dry_run: true }));
    expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
    expect(error.data).toEqual({ table: 'files', column: 'seen' });
  });
});

describe('syncSchema with dry_run', () => {
  it('reports the whole plan on an empty database and changes nothing, not even the version table', async () => {
    const { driver } = await openSqliteDriver();
    const report = await sync(driver, v1, { dry_run: true });
    expect(report).toMatchObject({ dry_run: true, version: '1', previous_version: null, created_tables: ['projects', 'files'], created_indexes: ['files_path'] });
    const { rows } = await driver.execute(validate(ExecuteParams, { sql: 'SELECT name FROM sqlite_schema' }));
    expect(rows).toEqual([]);
    expect(await driver.getSchemaVersion()).toEqual({ version: null });
  });

  it('reports added columns, indexes and unsupported changes without applying them', async () => {
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
      unsupported: ['projects.root: type text -> blob needs a table rebuild'],
    });
    expect((await driver.listTables()).tables).toEqual(['files', 'projects']);
    expect(await columnsOf(driver, 'files')).toEqual(['id', 'project_id', 'path']);
    const indexes = await driver.execute(validate(ExecuteParams, { sql: "SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'files_size'" }));
    expect(indexes.rows).toEqual([]);
    expect(await driver.getSchemaVersion()).toEqual({ version: '1' });
  });
});

describe('planSchemaSync, readSchemaVersion and recordVersionStatements', () => {
  it('plan exactly the DDL to run', async () => {
    const engine = openBetterSqlite3(join(await makeTempDir(), 'plan.db'));
    deferCleanup(() => engine.close());
    const catalog = new SqliteCatalog(engine);
    const first = planSchemaSync(engine, catalog, v.parse(SchemaDefinitionSchema, v1), false);
    expect(first.statements).toEqual([
      'CREATE TABLE "projects" ("id" INTEGER PRIMARY KEY, "root" TEXT NOT NULL)',
      'CREATE TABLE "files" ("id" INTEGER PRIMARY KEY, "project_id" INTEGER NOT NULL REFERENCES "projects" ("id") ON DELETE CASCADE, "path" TEXT NOT NULL)',
      'CREATE UNIQUE INDEX "files_path" ON "files" ("project_id", "path")',
    ]);
    for (const sql of first.statements) engine.exec(sql);
    catalog.invalidate();
    expect(readSchemaVersion(engine, catalog)).toBeNull();
    const second = planSchemaSync(engine, catalog, v.parse(SchemaDefinitionSchema, withFiles('2', { columns: [{ name: 'size', type: 'integer', not_null: true, default: 0 }] })), true);
    expect(second.statements).toEqual(['ALTER TABLE "files" ADD COLUMN "size" INTEGER NOT NULL DEFAULT 0']);
    expect(second.report).toMatchObject({ dry_run: true, previous_version: null, altered_tables: [{ table: 'files', added_columns: ['size'] }] });
  });

  it('record the version in the meta table, overwriting the previous one', async () => {
    expect(recordVersionStatements('7')).toEqual([
      { sql: `CREATE TABLE IF NOT EXISTS "${META_TABLE}" (key TEXT PRIMARY KEY, value TEXT NOT NULL)`, params: [] },
      {
        sql: `INSERT INTO "${META_TABLE}" (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        params: ['7'],
      },
    ]);
    const engine = openBetterSqlite3(join(await makeTempDir(), 'version.db'));
    deferCleanup(() => engine.close());
    const catalog = new SqliteCatalog(engine);
    for (const version of ['1', '2']) {
      for (const statement of recordVersionStatements(version)) engine.run(statement.sql, statement.params);
    }
    catalog.invalidate();
    expect(readSchemaVersion(engine, catalog)).toBe('2');
    expect(engine.all(`SELECT count(*) AS n FROM "${META_TABLE}"`)).toEqual([{ n: 1n }]);
  });
});
