import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { bindPlaceholders } from '../../../src/driver/postgres/postgres-placeholders.ts';
import { thrownBy } from '../../helpers/rpc-error.ts';

describe('execute placeholders on PostgreSQL', () => {
  it('leaves the text alone without params, and $n text with an array', () => {
    expect(bindPlaceholders('SELECT 1', undefined)).toEqual({ sql: 'SELECT 1', values: [] });
    expect(bindPlaceholders("SELECT $1, '?' , data ? 'k'", [1])).toEqual({ sql: "SELECT $1, '?' , data ? 'k'", values: [1] });
  });

  it('numbers ? in order outside literals, quoted names, dollar quotes and comments', () => {
    const sql = `SELECT ?, '?', "a?", $$?$$, $t$ ? $t$, E'\\'?', ? -- ?\n/* ? */ , ?`;
    expect(bindPlaceholders(sql, ['a', 'b', 'c'])).toEqual({
      sql: `SELECT $1, '?', "a?", $$?$$, $t$ ? $t$, E'\\'?', $2 -- ?\n/* ? */ , $3`,
      values: ['a', 'b', 'c'],
    });
  });

  it('turns :name into $n, once per name, leaving ::casts and literals alone', () => {
    expect(bindPlaceholders("SELECT :a::text, :b, :a, ':c', x::int FROM t WHERE y = :b", { a: 1, b: 'two' })).toEqual({
      sql: "SELECT $1::text, $2, $1, ':c', x::int FROM t WHERE y = $2",
      values: [1, 'two'],
    });
    expect(bindPlaceholders('SELECT 1', {})).toEqual({ sql: 'SELECT 1', values: [] });
  });

  it('an unterminated literal or comment runs to the end, and a lone $ is kept', () => {
    expect(bindPlaceholders("SELECT '?", ['x']).sql).toBe("SELECT '?");
    expect(bindPlaceholders('SELECT 1 /* ?', ['x']).sql).toBe('SELECT 1 /* ?');
    expect(bindPlaceholders('SELECT 1 -- ?', ['x']).sql).toBe('SELECT 1 -- ?');
    expect(bindPlaceholders('SELECT $$ ?', ['x']).sql).toBe('SELECT $$ ?');
    expect(bindPlaceholders('SELECT $ ?', ['x']).sql).toBe('SELECT $ $1');
  });

  it('a :name missing from params is refused naming it', () => {
    const error = thrownBy(() => bindPlaceholders('SELECT :missing', { other: 1 }));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.data?.field).toBe('params.missing');
  });
});
