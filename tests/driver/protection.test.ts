import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/ipc/errors.ts';
import { EMPTY_META, hasChanges, META_TABLE, metaChangesOf, parseMeta, protectedAfter, recordMetaStatements } from '../../src/driver/meta-table.ts';
import { ProtectedTables } from '../../src/driver/protection.ts';
import { sqliteDialect } from '../../src/driver/sqlite/sqlite-dialect.ts';
import { thrownBy } from '../helpers/rpc-error.ts';

describe('ProtectedTables', () => {
  const tables = new ProtectedTables(['Symbols', 'files']);

  it('covers the tables, the tables named after them with a suffix, and the meta table, whatever the case', () => {
    expect(tables.list).toEqual(['files', 'symbols']);
    expect(tables.covering('SYMBOLS')).toBe('symbols');
    expect(tables.covering('symbols_fts_data')).toBe('symbols');
    expect(tables.covering('symbolsfts')).toBeUndefined();
    expect(tables.covering('notes')).toBeUndefined();
    expect(tables.covering(META_TABLE)).toBe(META_TABLE);
  });

  it('refuses a change by anyone but the owner, and the meta table to everyone', () => {
    expect(() => tables.checkChange('notes', false, 'table_name')).not.toThrow();
    expect(() => tables.checkChange('files', true, 'table_name')).not.toThrow();
    const denied = thrownBy(() => tables.checkChange('files', false, 'params.table_name'));
    expect(denied).toMatchObject({ code: ErrorCode.PERMISSION_DENIED, data: { field: 'params.table_name', table: 'files' } });
    expect(thrownBy(() => tables.checkChange(META_TABLE, true, 'x')).message).toMatch(/driver's own bookkeeping/);
  });
});

describe('the meta table', () => {
  it('reads what was recorded, and nothing from an empty or foreign record', () => {
    expect(parseMeta([])).toEqual(EMPTY_META);
    expect(parseMeta([{ key: 'schema_version', value: '3' }, { key: 'protected_tables', value: '["files", 7]' }])).toEqual({ version: '3', protectedTables: ['files'] });
  });

  it('protects what a definition marks, unprotects what it names unmarked, and leaves the rest', () => {
    expect(protectedAfter(['files', 'other'], [{ name: 'Files' }, { name: 'symbols', protected: true }])).toEqual(['other', 'symbols']);
  });

  it('records only what changed: a definition without a version records none', () => {
    const before = { version: '1', protectedTables: ['files'] };
    expect(metaChangesOf(before, undefined, ['files'])).toEqual({});
    expect(hasChanges(metaChangesOf(before, '1', ['files']))).toBe(false);
    expect(metaChangesOf(before, '2', ['files', 'symbols'])).toEqual({ version: '2', protectedTables: ['files', 'symbols'] });
    const statements = recordMetaStatements(sqliteDialect, { protectedTables: ['files'] });
    expect(statements.map((statement) => statement.params)).toEqual([[], ['protected_tables', '["files"]']]);
  });
});
