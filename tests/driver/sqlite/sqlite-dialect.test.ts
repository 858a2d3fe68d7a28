import { describe, expect, it } from 'vitest';
import { sqliteDialect } from '../../../src/driver/sqlite/sqlite-dialect.ts';
import { PORTABLE_TYPES } from '../../../src/driver/table-schema.ts';

describe('sqliteDialect', () => {
  it('uses ? placeholders and binds booleans as integers', () => {
    expect(sqliteDialect.name).toBe('sqlite');
    expect(sqliteDialect.placeholder(1)).toBe('?');
    expect(sqliteDialect.placeholder(7)).toBe('?');
    expect(sqliteDialect.bind).toEqual({ booleans: 'integer' });
  });

  it('declares each portable type under a name SQLite maps back to it', () => {
    expect(PORTABLE_TYPES.map((type) => sqliteDialect.columnType(type, false))).toEqual([
      'INTEGER',
      'REAL',
      'TEXT',
      'BLOB',
      'BOOLEAN',
      'JSON',
      'TIMESTAMP',
    ]);
    expect(sqliteDialect.columnType('integer', true)).toBe('INTEGER');
  });

  it('writes literals for defaults', () => {
    expect(sqliteDialect.literal(null)).toBe('NULL');
    expect(sqliteDialect.literal(true)).toBe('1');
    expect(sqliteDialect.literal(false)).toBe('0');
    expect(sqliteDialect.literal(-2.5)).toBe('-2.5');
    expect(sqliteDialect.literal(0)).toBe('0');
    expect(sqliteDialect.literal("it's")).toBe("'it''s'");
    expect(sqliteDialect.literal('')).toBe("''");
  });
});
