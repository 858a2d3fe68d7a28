import { describe, expect, it } from 'vitest';
import { writingPart } from '../../src/server/read-only-sql.ts';

describe('writingPart: whether raw SQL only reads', () => {
  it('lets through statements that only read', () => {
    for (const sql of [
      'SELECT * FROM items',
      '  select count(*) from items;',
      '/* note */ -- line\nSELECT 1; SELECT 2',
      'WITH recent AS (SELECT * FROM items) SELECT * FROM recent',
      'VALUES (1), (2)',
      'EXPLAIN QUERY PLAN SELECT * FROM items',
      "SELECT replace(label, 'a', 'b') FROM items",
      "SELECT 'INSERT INTO x; DROP TABLE y' AS text, \"update\" FROM items -- DELETE",
      'SELECT $$DELETE$$, $tag$UPDATE items$tag$',
      'SELECT [into] FROM items',
      '',
    ]) {
      expect(writingPart(sql), sql).toBeNull();
    }
  });

  it('names what may write: another statement, a writing clause, a writing function', () => {
    expect(writingPart('DELETE FROM items')).toBe('DELETE statement');
    expect(writingPart('SELECT 1; DROP TABLE items')).toBe('DROP statement');
    expect(writingPart('ATTACH DATABASE "/tmp/x.db" AS x')).toBe('ATTACH statement');
    expect(writingPart('PRAGMA query_only = 1')).toBe('PRAGMA statement');
    expect(writingPart('WITH d AS (SELECT 1) DELETE FROM items')).toBe('DELETE');
    expect(writingPart('WITH d AS (DELETE FROM items RETURNING *) SELECT * FROM d')).toBe('DELETE');
    expect(writingPart('SELECT * INTO copy FROM items')).toBe('INTO');
    expect(writingPart('SELECT * FROM items FOR UPDATE')).toBe('UPDATE');
    expect(writingPart('SELECT * FROM items FOR SHARE')).toBe('SHARE');
    expect(writingPart('EXPLAIN ANALYZE DELETE FROM items')).toBe('ANALYZE');
    expect(writingPart("SELECT nextval('s')")).toBe('nextval()');
    expect(writingPart("select SET_CONFIG ('a', 'b', false)")).toBe('SET_CONFIG()');
    expect(writingPart('SELECT pg_advisory_lock(1)')).toBe('pg_advisory_lock()');
    expect(writingPart('SELECT lo_export(1, \'/tmp/x\')')).toBe('lo_export()');
    expect(writingPart("SELECT 'unterminated")).toBeNull();
    expect(writingPart('SELECT 1; 1 DELETE')).toBe('DELETE statement');
    expect(writingPart('(SELECT 1); DROP TABLE items')).toBe('a statement that does not start with a keyword');
  });
});
