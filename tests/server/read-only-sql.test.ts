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
      'SELECT [into] FROM items',
      '',
    ]) {
      expect(writingPart(sql, 'sqlite'), sql).toBeNull();
    }
  });

  it('names what may write: another statement, a writing clause, a writing function', () => {
    expect(writingPart('DELETE FROM items', 'sqlite')).toBe('DELETE statement');
    expect(writingPart('SELECT 1; DROP TABLE items', 'sqlite')).toBe('DROP statement');
    expect(writingPart('ATTACH DATABASE "/tmp/x.db" AS x', 'sqlite')).toBe('ATTACH statement');
    expect(writingPart('PRAGMA query_only = 1', 'sqlite')).toBe('PRAGMA statement');
    expect(writingPart('WITH d AS (SELECT 1) DELETE FROM items', 'sqlite')).toBe('DELETE');
    expect(writingPart('WITH d AS (DELETE FROM items RETURNING *) SELECT * FROM d', 'sqlite')).toBe('DELETE');
    expect(writingPart('SELECT * INTO copy FROM items', 'sqlite')).toBe('INTO');
    expect(writingPart('SELECT * FROM items FOR UPDATE', 'sqlite')).toBe('UPDATE');
    expect(writingPart('SELECT * FROM items FOR SHARE', 'sqlite')).toBe('SHARE');
    expect(writingPart('EXPLAIN ANALYZE DELETE FROM items', 'sqlite')).toBe('ANALYZE');
    expect(writingPart("SELECT nextval('s')", 'sqlite')).toBe('nextval()');
    expect(writingPart("select SET_CONFIG ('a', 'b', false)", 'sqlite')).toBe('SET_CONFIG()');
    expect(writingPart('SELECT pg_advisory_lock(1)', 'sqlite')).toBe('pg_advisory_lock()');
    expect(writingPart('SELECT lo_export(1, \'/tmp/x\')', 'sqlite')).toBe('lo_export()');
    expect(writingPart("SELECT 'unterminated", 'sqlite')).toBeNull();
    expect(writingPart('SELECT 1; 1 DELETE', 'sqlite')).toBe('DELETE statement');
    expect(writingPart('(SELECT 1); DROP TABLE items', 'sqlite')).toBe('a statement that does not start with a keyword');
  });

  it('reads quoting as the database does: SQLite brackets hide a name, PostgreSQL dollar quotes a string', () => {
    expect(writingPart('SELECT [into] FROM items', 'sqlite')).toBeNull();
    expect(writingPart('SELECT $$DELETE$$, $tag$UPDATE items$tag$', 'postgres')).toBeNull();
    // In PostgreSQL a bracket is a subscript, hiding nothing: the call inside it is seen.
    expect(writingPart('SELECT a[pg_terminate_backend(1)] FROM items', 'postgres')).toBe('pg_terminate_backend()');
    expect(writingPart('SELECT [pg_terminate_backend(1)] FROM items', 'sqlite')).toBeNull();
    // And a SQLite backtick is a name, while in PostgreSQL it quotes nothing.
    expect(writingPart('SELECT `delete` FROM items', 'sqlite')).toBeNull();
    expect(writingPart('SELECT `delete` FROM items', 'postgres')).toBe('DELETE');
    // E'…' strings end at an unescaped quote only: the DELETE after it is outside.
    expect(writingPart("SELECT E'it\\'s' ; DELETE FROM items", 'postgres')).toBe('DELETE statement');
  });
});
