import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  ColumnDefinitionSchema,
  IndexDefinitionSchema,
  PORTABLE_TYPES,
  SchemaDefinitionSchema,
  TableDefinitionSchema,
  toPortableType,
} from '../../src/driver/table-schema.ts';

const issuesOf = (schema: v.GenericSchema, input: unknown) => {
  const result = v.safeParse(schema, input);
  expect(result.success, 'expected the input to be refused').toBe(false);
  return (result.issues ?? []).map((issue) => ({ path: v.getDotPath(issue), message: issue.message }));
};

const parseTable = (input: unknown) => {
  const result = v.safeParse(TableDefinitionSchema, input);
  if (!result.success) throw new Error(`refused: ${result.issues.map((issue) => issue.message).join('; ')}`);
  return result.output;
};

const id = { name: 'id', type: 'integer', primary_key: true };

describe('toPortableType', () => {
  it.each(PORTABLE_TYPES)('maps the portable name %s onto itself', (type) => {
    expect(toPortableType(type)).toBe(type);
  });

  it.each([
    ['INTEGER', 'integer'],
    ['int', 'integer'],
    ['BIGINT', 'integer'],
    ['smallint', 'integer'],
    ['int8', 'integer'],
    ['bigserial', 'integer'],
    ['REAL', 'real'],
    ['float8', 'real'],
    ['DOUBLE PRECISION', 'real'],
    ['double   precision', 'real'],
    ['NUMERIC(10,2)', 'real'],
    ['numeric ( 10 , 2 )', 'real'],
    ['DECIMAL(5)', 'real'],
    ['TEXT', 'text'],
    ['VARCHAR(255)', 'text'],
    ['varchar (255)', 'text'],
    ['character varying(10)', 'text'],
    ['CHARACTER VARYING', 'text'],
    ['char(1)', 'text'],
    ['uuid', 'text'],
    ['clob', 'text'],
    ['BLOB', 'blob'],
    ['BYTEA', 'blob'],
    ['bool', 'boolean'],
    ['BOOLEAN', 'boolean'],
    ['JSONB', 'json'],
    ['Json', 'json'],
    ['TIMESTAMPTZ', 'timestamp'],
    ['datetime', 'timestamp'],
    ['DATE', 'timestamp'],
    ['timestamp with time zone', 'timestamp'],
    ['TIMESTAMP WITHOUT TIME ZONE', 'timestamp'],
    ['  Integer  ', 'integer'],
  ])('maps %j onto %s, whatever the case', (name, type) => {
    expect(toPortableType(name)).toBe(type);
  });

  it.each(['', 'widget', 'int4range', 'varchar(n)', 'integer[]', 'numeric(1,2,3)', 'texts', 'time', 'bytea(4)'])('does not map the unknown type %j', (name) => {
    expect(toPortableType(name)).toBeUndefined();
  });
});

describe('ColumnDefinitionSchema', () => {
  it('fills in the defaults and maps the type', () => {
    expect(v.parse(ColumnDefinitionSchema, { name: 'n', type: 'VARCHAR(20)' })).toEqual({
      name: 'n',
      type: 'text',
      primary_key: false,
      unique: false,
      not_null: false,
    });
  });

  it('reads nullable: false as not_null: true, and nullable: true as not_null: false', () => {
    expect(v.parse(ColumnDefinitionSchema, { name: 'n', type: 'text', nullable: false }).not_null).toBe(true);
    expect(v.parse(ColumnDefinitionSchema, { name: 'n', type: 'text', nullable: true }).not_null).toBe(false);
    expect(v.parse(ColumnDefinitionSchema, { name: 'n', type: 'text', nullable: false })).not.toHaveProperty('nullable');
  });

  it('lets an explicit not_null win over nullable', () => {
    expect(v.parse(ColumnDefinitionSchema, { name: 'n', type: 'text', not_null: false, nullable: false }).not_null).toBe(false);
    expect(v.parse(ColumnDefinitionSchema, { name: 'n', type: 'text', not_null: true, nullable: true }).not_null).toBe(true);
  });

  it('keeps scalar and null defaults and refuses others', () => {
    for (const value of ['x', 0, -1.5, true, null]) {
      expect(v.parse(ColumnDefinitionSchema, { name: 'n', type: 'text', default: value }).default).toBe(value);
    }
    expect(issuesOf(ColumnDefinitionSchema, { name: 'n', type: 'text', default: { a: 1 } })[0]?.path).toBe('default');
    expect(issuesOf(ColumnDefinitionSchema, { name: 'n', type: 'real', default: Number.POSITIVE_INFINITY })[0]?.path).toBe('default');
  });

  it('refuses an unknown type, naming it', () => {
    expect(issuesOf(ColumnDefinitionSchema, { name: 'n', type: 'widget' })).toEqual([{ path: 'type', message: 'unknown column type "widget"' }]);
  });

  it.each([
    ['CASCADE', 'cascade'],
    ['set_null', 'set null'],
    ['SET NULL', 'set null'],
    [' Set_Default ', 'set default'],
    ['restrict', 'restrict'],
    ['NO_ACTION', 'no action'],
  ])('normalises the foreign key action %j to %j', (action, normal) => {
    const column = v.parse(ColumnDefinitionSchema, {
      name: 'p',
      type: 'integer',
      references: { table: 'projects', column: 'id', on_delete: action, on_update: action },
    });
    expect(column.references).toEqual({ table: 'projects', column: 'id', on_delete: normal, on_update: normal });
  });

  it('refuses an unknown foreign key action and bad reference names', () => {
    const action = issuesOf(ColumnDefinitionSchema, { name: 'p', type: 'integer', references: { table: 'projects', column: 'id', on_delete: 'explode' } });
    expect(action[0]).toEqual({ path: 'references.on_delete', message: 'must be cascade, set null, set default, restrict or no action' });
    const table = issuesOf(ColumnDefinitionSchema, { name: 'p', type: 'integer', references: { table: 'x; DROP TABLE y', column: 'id' } });
    expect(table[0]?.path).toBe('references.table');
  });
});

describe('IndexDefinitionSchema', () => {
  it('defaults unique to false and needs at least one column', () => {
    expect(v.parse(IndexDefinitionSchema, { name: 'i', columns: ['a'] })).toEqual({ name: 'i', columns: ['a'], unique: false });
    expect(issuesOf(IndexDefinitionSchema, { name: 'i', columns: [] })[0]?.message).toBe('an index needs at least one column');
  });
});

describe('TableDefinitionSchema', () => {
  it('parses a table with columns and indexes, defaulting indexes to none', () => {
    expect(parseTable({ name: 't', columns: [id] })).toEqual({
      name: 't',
      columns: [{ name: 'id', type: 'integer', primary_key: true, unique: false, not_null: false }],
      indexes: [],
      protected: false,
    });
    const files = parseTable({
      name: 'files',
      columns: [id, { name: 'path', type: 'TEXT', nullable: false }],
      indexes: [{ name: 'files_path', columns: ['path'], unique: true }],
    });
    expect(files.columns[1]).toMatchObject({ name: 'path', type: 'text', not_null: true });
    expect(files.indexes).toEqual([{ name: 'files_path', columns: ['path'], unique: true }]);
  });

  it('refuses duplicate column names, also when they differ only in case', () => {
    const twice = issuesOf(TableDefinitionSchema, { name: 't', columns: [id, { name: 'id', type: 'text' }] });
    expect(twice.map((issue) => issue.message)).toContain('column names must be unique');
    const cased = issuesOf(TableDefinitionSchema, { name: 't', columns: [id, { name: 'ID', type: 'text' }] });
    expect(cased.map((issue) => issue.message)).toContain('column names must be unique');
  });

  it('refuses an index over a column the table does not have', () => {
    const issues = issuesOf(TableDefinitionSchema, { name: 't', columns: [id], indexes: [{ name: 'i', columns: ['id', 'ghost'] }] });
    expect(issues.map((issue) => issue.message)).toContain('every index column must be a column of the table');
  });

  it('refuses a table without columns', () => {
    expect(issuesOf(TableDefinitionSchema, { name: 't', columns: [] })[0]?.message).toBe('a table needs at least one column');
  });

  it.each([
    ['table name', { name: 'x; DROP TABLE y', columns: [id] }, 'name'],
    ['table name with a quote', { name: 'a"b', columns: [id] }, 'name'],
    ['table name with a leading digit', { name: '1abc', columns: [id] }, 'name'],
    ['empty table name', { name: '', columns: [id] }, 'name'],
    ['64-character table name', { name: 't'.repeat(64), columns: [id] }, 'name'],
    ['column name', { name: 't', columns: [{ name: 'a b', type: 'text' }] }, 'columns.0.name'],
    ['index name', { name: 't', columns: [id], indexes: [{ name: 'i;', columns: ['id'] }] }, 'indexes.0.name'],
    ['index column name', { name: 't', columns: [id], indexes: [{ name: 'i', columns: ['id"'] }] }, 'indexes.0.columns.0'],
  ])('refuses a bad %s', (_label, input, path) => {
    expect(issuesOf(TableDefinitionSchema, input)[0]?.path).toBe(path);
  });

  it('accepts a 63-character name', () => {
    expect(parseTable({ name: 't'.repeat(63), columns: [id] }).name).toHaveLength(63);
  });
});

describe('SchemaDefinitionSchema', () => {
  it('turns a numeric version into a string', () => {
    expect(v.parse(SchemaDefinitionSchema, { version: 3, tables: [] })).toEqual({ version: '3', tables: [] });
  });

  it('refuses an empty version', () => {
    expect(issuesOf(SchemaDefinitionSchema, { version: '', tables: [] })[0]?.path).toBe('version');
  });
});
