import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { toRpcError } from '../../../src/driver/sqlite/sqlite-errors.ts';
import { ErrorCode, RpcError } from '../../../src/ipc/errors.ts';
import { deferCleanup } from '../../helpers/cleanup.ts';

/** The error better-sqlite3 itself throws for `sql`. */
function nativeError(setup: string, sql: string): unknown {
  const db = new Database(':memory:');
  deferCleanup(() => db.close());
  db.exec(setup);
  try {
    db.exec(sql);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('toRpcError', () => {
  it('returns an RpcError unchanged', () => {
    const original = new RpcError('NOT_FOUND', 'gone', { table: 't' });
    expect(toRpcError(original)).toBe(original);
  });

  it.each([
    ['a syntax error', '', 'SELEC 1', 'SQLITE_ERROR'],
    ['a unique violation', 'CREATE TABLE t (x UNIQUE); INSERT INTO t VALUES (1)', 'INSERT INTO t VALUES (1)', 'SQLITE_CONSTRAINT_UNIQUE'],
    ['a primary key violation', 'CREATE TABLE t (x TEXT PRIMARY KEY); INSERT INTO t VALUES (1)', 'INSERT INTO t VALUES (1)', 'SQLITE_CONSTRAINT_PRIMARYKEY'],
    ['a NOT NULL violation', 'CREATE TABLE t (x NOT NULL)', 'INSERT INTO t VALUES (NULL)', 'SQLITE_CONSTRAINT_NOTNULL'],
    ['a CHECK violation', 'CREATE TABLE t (x CHECK (x > 0))', 'INSERT INTO t VALUES (0)', 'SQLITE_CONSTRAINT_CHECK'],
    [
      'a foreign key violation',
      'PRAGMA foreign_keys = ON; CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p REFERENCES p (id))',
      'INSERT INTO c VALUES (5)',
      'SQLITE_CONSTRAINT_FOREIGNKEY',
    ],
  ])('maps better-sqlite3 SqliteError of %s to DATABASE_ERROR with its code', (_label, setup, sql, code) => {
    const native = nativeError(setup, sql);
    expect(native).toBeInstanceOf(Database.SqliteError);
    const error = toRpcError(native);
    expect(error.code).toBe(ErrorCode.DATABASE_ERROR);
    expect(error.data).toEqual({ database_code: code });
    expect(error.message).toBe((native as Error).message);
    expect(error.cause).toBe(native);
  });

  it('keeps a better-sqlite3-style code it has no name for', () => {
    const error = toRpcError({ code: 'SQLITE_IOERR_SHORT_READ', message: 'disk I/O error' });
    expect(error.code).toBe(ErrorCode.DATABASE_ERROR);
    expect(error.data).toEqual({ database_code: 'SQLITE_IOERR_SHORT_READ' });
  });

  it.each([
    [2067, 'SQLITE_CONSTRAINT_UNIQUE'],
    [1555, 'SQLITE_CONSTRAINT_PRIMARYKEY'],
    [787, 'SQLITE_CONSTRAINT_FOREIGNKEY'],
    [1299, 'SQLITE_CONSTRAINT_NOTNULL'],
    [5, 'SQLITE_BUSY'],
    [1, 'SQLITE_ERROR'],
    // SQLITE_CONSTRAINT_TRIGGER has no name of its own: its primary code names it.
    [1811, 'SQLITE_CONSTRAINT'],
    // SQLITE_BUSY_SNAPSHOT likewise.
    [517, 'SQLITE_BUSY'],
  ])('maps a node:sqlite-style error with errcode %i to DATABASE_ERROR %s', (errcode, code) => {
    const native = { code: 'ERR_SQLITE_ERROR', errcode, errstr: 'constraint failed', message: 'UNIQUE constraint failed: t.x' };
    const error = toRpcError(native);
    expect(error.code).toBe(ErrorCode.DATABASE_ERROR);
    expect(error.data).toEqual({ database_code: code });
    expect(error.message).toBe('UNIQUE constraint failed: t.x');
    expect(error.cause).toBe(native);
  });

  it('prefers errcode over code', () => {
    expect(toRpcError({ code: 'SQLITE_ERROR', errcode: 2067, message: 'm' }).data).toEqual({ database_code: 'SQLITE_CONSTRAINT_UNIQUE' });
  });

  it.each([
    ['a TypeError', new TypeError('The database connection is not open'), 'The database connection is not open'],
    ['a RangeError', new RangeError('Too many parameter values were provided'), 'Too many parameter values were provided'],
    ['an error with a non-SQLite code', Object.assign(new Error('no such file'), { code: 'ENOENT' }), 'no such file'],
    ['a thrown string', 'plain text', 'plain text'],
    ['null', null, 'null'],
  ])('maps %s to VALIDATION_ERROR without database data', (_label, thrown, message) => {
    const error = toRpcError(thrown);
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toBe(message);
    expect(error.data).toBeUndefined();
    expect(error.cause).toBe(thrown);
  });

  // Was a bug, fixed: an errcode missing from CODE_NAMES (SQLITE_TOOBIG 18, SQLITE_INTERRUPT 9, SQLITE_ABORT 4, SQLITE_NOMEM 7, …) leaves databaseCode undefined, so a genuine SQLite failure from node:sqlite is reported as VALIDATION_ERROR.
  it('maps a node:sqlite error whose errcode has no name (SQLITE_TOOBIG) to DATABASE_ERROR', () => {
    const error = toRpcError({ code: 'ERR_SQLITE_ERROR', errcode: 18, message: 'string or blob too big' });
    expect(error.code).toBe(ErrorCode.DATABASE_ERROR);
  });
});
