import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { columnSql, createIndexSql, createTableSql } from '../../../src/driver/sql/ddl.ts';
import { sqliteDialect } from '../../../src/driver/sqlite/sqlite-dialect.ts';
import { type ColumnDefinition, ColumnDefinitionSchema, type TableDefinition, TableDefinitionSchema } from '../../../src/driver/table-schema.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { deferCleanup } from '../../helpers/cleanup.ts';
import { thrownBy } from '../../helpers/rpc-error.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

type TableDefinitionArgs = v.InferInput<typeof TableDefinitionSchema>;

const table = (definition: TableDefinitionArgs): TableDefinition => v.parse(TableDefinitionSchema, definition);
const column = (definition: v.InferInput<typeof ColumnDefinitionSchema>): ColumnDefinition => v.parse(ColumnDefinitionSchema, definition);
const sqlOf = (definition: TableDefinitionArgs) => createTableSql(table(definition), sqliteDialect);

let db: Database.Database;

beforeAll(async () => {
  db = new Database(join(await makeTempDir(), 'ddl.db'));
  deferCleanup(() => db.close());
  db.pragma('foreign_keys = ON');
});

describe('createTableSql', () => {
  it('declares a single primary key inline', () => {
    expect(sqlOf({ name: 'projects', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'root', type: 'text' }] })).toBe(
      'CREATE TABLE "projects" ("id" INTEGER PRIMARY KEY, "root" TEXT)',
    );
  });

  it('declares a composite primary key as a table constraint, keeping NOT NULL on its columns', () => {
    expect(
      sqlOf({
        name: 'pairs',
        columns: [
          { name: 'a', type: 'integer', primary_key: true, not_null: true },
          { name: 'b', type: 'text', primary_key: true },
          { name: 'c', type: 'real' },
        ],
      }),
    ).toBe('CREATE TABLE "pairs" ("a" INTEGER NOT NULL, "b" TEXT NOT NULL, "c" REAL, PRIMARY KEY ("a", "b"))');
  });

  it('maps every portable type onto its SQLite column type', () => {
    const types = ['integer', 'real', 'text', 'blob', 'boolean', 'json', 'timestamp'] as const;
    expect(sqlOf({ name: 't', columns: types.map((type) => ({ name: `c_${type}`, type })) })).toBe(
      'CREATE TABLE "t" ("c_integer" INTEGER, "c_real" REAL, "c_text" TEXT, "c_blob" BLOB, "c_boolean" BOOLEAN, "c_json" JSON, "c_timestamp" TIMESTAMP)',
    );
    expect(sqlOf({ name: 't', columns: [{ name: 'v', type: 'VARCHAR(20)' }, { name: 'n', type: 'bigint' }] })).toBe(
      'CREATE TABLE "t" ("v" TEXT, "n" INTEGER)',
    );
  });

  it('adds NOT NULL (also from nullable: false) and UNIQUE, but no UNIQUE on a primary key', () => {
    expect(
      sqlOf({
        name: 't',
        columns: [
          { name: 'id', type: 'integer', primary_key: true, unique: true },
          { name: 'a', type: 'text', not_null: true, unique: true },
          { name: 'b', type: 'text', nullable: false },
          { name: 'c', type: 'text', nullable: true },
        ],
      }),
    ).toBe('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "a" TEXT NOT NULL UNIQUE, "b" TEXT NOT NULL, "c" TEXT)');
  });

  it('honours ifNotExists and a replacement name', () => {
    const definition = table({ name: 't', columns: [{ name: 'x', type: 'text' }] });
    expect(createTableSql(definition, sqliteDialect, { ifNotExists: true })).toBe('CREATE TABLE IF NOT EXISTS "t" ("x" TEXT)');
    expect(createTableSql(definition, sqliteDialect, { name: 't_new' })).toBe('CREATE TABLE "t_new" ("x" TEXT)');
  });

  it('writes defaults of every kind as literals', () => {
    expect(
      sqlOf({
        name: 'defaults',
        columns: [
          { name: 'i', type: 'integer', default: 0 },
          { name: 'neg', type: 'integer', default: -5 },
          { name: 'r', type: 'real', default: 1.5 },
          { name: 'tiny', type: 'real', default: 1e-7 },
          { name: 's', type: 'text', default: `it's "quoted"` },
          { name: 'empty', type: 'text', default: '' },
          { name: 'yes', type: 'boolean', default: true },
          { name: 'no', type: 'boolean', default: false },
          { name: 'j', type: 'json', default: "don't" },
          { name: 'jn', type: 'json', default: 3 },
          { name: 'nothing', type: 'text', default: null },
          { name: 'at', type: 'timestamp', default: '2024-05-01 12:00:00' },
        ],
      }),
    ).toBe(
      'CREATE TABLE "defaults" (' +
        [
          '"i" INTEGER DEFAULT 0',
          '"neg" INTEGER DEFAULT -5',
          '"r" REAL DEFAULT 1.5',
          '"tiny" REAL DEFAULT 1e-7',
          `"s" TEXT DEFAULT 'it''s "quoted"'`,
          `"empty" TEXT DEFAULT ''`,
          '"yes" BOOLEAN DEFAULT 1',
          '"no" BOOLEAN DEFAULT 0',
          `"j" JSON DEFAULT '"don''t"'`,
          `"jn" JSON DEFAULT '3'`,
          '"nothing" TEXT DEFAULT NULL',
          `"at" TIMESTAMP DEFAULT '2024-05-01T12:00:00.000Z'`,
        ].join(', ') +
        ')',
    );
  });

  it('writes CURRENT_TIMESTAMP of timestamp columns as an ISO 8601 expression, in any case', () => {
    const now = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
    expect(
      sqlOf({
        name: 't',
        columns: [
          { name: 'a', type: 'timestamp', default: 'CURRENT_TIMESTAMP' },
          { name: 'b', type: 'datetime', default: 'current_timestamp' },
          { name: 'e', type: 'text', default: 'CURRENT_TIMESTAMP' },
        ],
      }),
    ).toBe(`CREATE TABLE "t" ("a" TIMESTAMP DEFAULT ${now}, "b" TIMESTAMP DEFAULT ${now}, "e" TEXT DEFAULT 'CURRENT_TIMESTAMP')`);
  });

  it('refuses other time keywords as timestamp defaults (they are not ISO 8601 timestamps)', () => {
    for (const keyword of ['CURRENT_DATE', 'CURRENT_TIME']) {
      expect(() => sqlOf({ name: 't', columns: [{ name: 'c', type: 'timestamp', default: keyword }] })).toThrow(/ISO 8601/);
    }
  });

  it('writes references with their ON DELETE / ON UPDATE actions', () => {
    expect(
      sqlOf({
        name: 'files',
        columns: [
          { name: 'id', type: 'integer', primary_key: true },
          { name: 'project_id', type: 'integer', not_null: true, references: { table: 'projects', column: 'id', on_delete: 'CASCADE', on_update: 'set_null' } },
          { name: 'owner', type: 'integer', references: { table: 'people', column: 'id' } },
          { name: 'keeper', type: 'integer', references: { table: 'people', column: 'id', on_delete: 'no_action', on_update: 'Set Default' } },
        ],
      }),
    ).toBe(
      'CREATE TABLE "files" ("id" INTEGER PRIMARY KEY, ' +
        '"project_id" INTEGER NOT NULL REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE SET NULL, ' +
        '"owner" INTEGER REFERENCES "people" ("id"), ' +
        '"keeper" INTEGER REFERENCES "people" ("id") ON DELETE NO ACTION ON UPDATE SET DEFAULT)',
    );
  });

  it.each([
    ['integer', 'abc', 'expected an integer, got a string "abc"'],
    ['integer', 1.5, 'expected an integer, got number 1.5'],
    ['real', 'x', 'expected a number, got a string "x"'],
    ['text', 5, 'expected a string, got number 5'],
    ['boolean', 'yes', 'expected a boolean, got a string "yes"'],
    ['boolean', 1, 'expected a boolean, got number 1'],
    ['timestamp', 'soon', 'expected an ISO 8601 timestamp string, got a string "soon"'],
    ['blob', 'AAEC', 'expected {"$blob": "<base64>"}, got a string "AAEC"'],
  ] as const)('refuses a default of the wrong type for a %s column (%j)', (type, value, expected) => {
    const definition = table({ name: 'bad', columns: [{ name: 'col', type, default: value }] });
    const error = thrownBy(() => createTableSql(definition, sqliteDialect));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toBe(`schema.columns.col.default: ${expected}`);
    expect(error.data?.field).toBe('schema.columns.col.default');
  });

  it('refuses a default that is valid for the column but cannot be written as a literal', () => {
    // The schema only admits scalars; a definition built by hand can still carry a blob.
    const definition = { ...table({ name: 'bin', columns: [{ name: 'b', type: 'blob' }] }) };
    definition.columns = [{ ...definition.columns[0]!, default: { $blob: 'AAEC' } as unknown as string }];
    const error = thrownBy(() => createTableSql(definition, sqliteDialect));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toBe('schema.columns.b.default: unsupported default for blob column in table "bin"');
    expect(error.data).toEqual({ field: 'schema.columns.b.default' });
  });
});

describe('columnSql', () => {
  it('declares PRIMARY KEY only when asked to inline it', () => {
    const id = column({ name: 'id', type: 'integer', primary_key: true, not_null: true });
    expect(columnSql(id, 't', sqliteDialect, true)).toBe('"id" INTEGER PRIMARY KEY');
    expect(columnSql(id, 't', sqliteDialect, false)).toBe('"id" INTEGER NOT NULL');
  });

  it('names the table in the error of an unsupported default', () => {
    const bad = { ...column({ name: 'b', type: 'blob' }), default: { $blob: '' } as unknown as string };
    expect(thrownBy(() => columnSql(bad, 'photos', sqliteDialect, false)).message).toContain('in table "photos"');
  });
});

describe('createIndexSql', () => {
  it('creates plain and unique indexes over one or more columns', () => {
    expect(createIndexSql('files', { name: 'files_path', columns: ['path'], unique: false })).toBe('CREATE INDEX "files_path" ON "files" ("path")');
    expect(createIndexSql('files', { name: 'files_pp', columns: ['project_id', 'path'], unique: true }, { ifNotExists: true })).toBe(
      'CREATE UNIQUE INDEX IF NOT EXISTS "files_pp" ON "files" ("project_id", "path")',
    );
  });
});

describe('the produced DDL on a real SQLite database', () => {
  const projects = table({
    name: 'projects',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'root', type: 'text', not_null: true, unique: true },
    ],
  });
  const files = table({
    name: 'files',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'project_id', type: 'integer', not_null: true, references: { table: 'projects', column: 'id', on_delete: 'cascade' } },
      { name: 'path', type: 'text', nullable: false },
      { name: 'size', type: 'integer', default: -1 },
      { name: 'ratio', type: 'real', default: 0.25 },
      { name: 'note', type: 'text', default: `it's "fine"` },
      { name: 'hidden', type: 'boolean', default: false },
      { name: 'meta', type: 'json', default: 'x' },
      { name: 'seen', type: 'timestamp', default: '2024-05-01T14:00:00+02:00' },
      { name: 'created', type: 'timestamp', default: 'CURRENT_TIMESTAMP' },
    ],
    indexes: [{ name: 'files_project_path', columns: ['project_id', 'path'], unique: true }],
  });
  const tags = table({
    name: 'tags',
    columns: [
      { name: 'file_id', type: 'integer', primary_key: true, not_null: true, references: { table: 'files', column: 'id', on_delete: 'cascade' } },
      { name: 'tag', type: 'text', primary_key: true, not_null: true },
    ],
  });

  beforeAll(() => {
    for (const definition of [projects, files, tags]) {
      db.exec(createTableSql(definition, sqliteDialect));
      for (const index of definition.indexes) db.exec(createIndexSql(definition.name, index));
    }
  });

  it('creates the tables, with the composite key in key order', () => {
    const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(names).toEqual(['files', 'projects', 'tags']);
    const keys = db.prepare('SELECT name, pk, "notnull" FROM pragma_table_info(?) ORDER BY cid').all('tags');
    expect(keys).toEqual([
      { name: 'file_id', pk: 1, notnull: 1 },
      { name: 'tag', pk: 2, notnull: 1 },
    ]);
  });

  it('fills in every default', () => {
    db.prepare('INSERT INTO projects (id, root) VALUES (1, ?)').run('/src');
    db.prepare('INSERT INTO files (id, project_id, path) VALUES (10, 1, ?)').run('a.ts');
    const row = db.prepare('SELECT * FROM files WHERE id = 10').get() as Record<string, unknown>;
    expect(row).toMatchObject({ size: -1, ratio: 0.25, note: `it's "fine"`, hidden: 0, meta: '"x"', seen: '2024-05-01T12:00:00.000Z' });
    expect(row.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('enforces NOT NULL, UNIQUE, the unique index, the composite key and the reference', () => {
    expect(() => db.prepare('INSERT INTO files (project_id, path) VALUES (1, NULL)').run()).toThrow(/NOT NULL/);
    expect(() => db.prepare("INSERT INTO projects (root) VALUES ('/src')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO files (project_id, path) VALUES (1, 'a.ts')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO files (project_id, path) VALUES (99, 'b.ts')").run()).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO tags VALUES (10, 'x')").run();
    expect(() => db.prepare("INSERT INTO tags VALUES (10, 'x')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare('INSERT INTO tags VALUES (10, NULL)').run()).toThrow(/NOT NULL/);
  });

  it('cascades deletes along the references', () => {
    db.prepare('DELETE FROM projects WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM tags').pluck().get()).toBe(0);
  });

  // Was a bug, fixed: with a single primary key the explicit NOT NULL is dropped ("PRIMARY KEY implies it"), but in SQLite only an INTEGER PRIMARY KEY is implicitly NOT NULL: a TEXT key declared not_null accepts NULL.
  it('keeps NOT NULL on a single non-integer primary key', () => {
    const codes = table({ name: 'codes', columns: [{ name: 'code', type: 'text', primary_key: true, not_null: true }] });
    db.exec(createTableSql(codes, sqliteDialect));
    expect(() => db.prepare('INSERT INTO codes (code) VALUES (NULL)').run()).toThrow(/NOT NULL/);
  });
});
