import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBetterSqlite3 } from '../../../src/driver/sqlite/better-sqlite3-engine.ts';
import type { SqliteEngine } from '../../../src/driver/sqlite/engine.ts';
import { openSqliteEngine } from '../../../src/driver/sqlite/open-engine.ts';
import { ErrorCode, RpcError } from '../../../src/ipc/errors.ts';
import { deferCleanup } from '../../helpers/cleanup.ts';
import { thrownBy } from '../../helpers/rpc-error.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

let dir: string;
let engine: SqliteEngine;

/** An engine on a file in the temp dir, closed after the test file (closing twice is harmless). */
function open(path = join(dir, 'engine.db'), readOnly = false): SqliteEngine {
  const opened = openBetterSqlite3(path, { readOnly });
  deferCleanup(() => opened.close());
  return opened;
}

beforeAll(async () => {
  dir = await makeTempDir();
  engine = open();
  engine.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, data BLOB)');
});

describe('openBetterSqlite3', () => {
  it('names its library', () => {
    expect(engine.library).toBe('better-sqlite3');
  });

  it('returns integers as bigint, so nothing loses precision', () => {
    engine.run('INSERT INTO t (id, name) VALUES (?, ?)', [9007199254740993n, 'big']);
    expect(engine.all('SELECT id, name FROM t WHERE name = ?', ['big'])).toEqual([{ id: 9007199254740993n, name: 'big' }]);
    engine.run('DELETE FROM t WHERE name = ?', ['big']);
  });

  it('run reports changes and the last row id as a bigint', () => {
    const first = engine.run('INSERT INTO t (name) VALUES (?)', ['a']);
    expect(first.changes).toBe(1);
    expect(typeof first.lastInsertRowid).toBe('bigint');
    const updated = engine.run('UPDATE t SET name = name || ? WHERE id >= ?', ['!', 0]);
    expect(updated).toEqual({ changes: 1, lastInsertRowid: first.lastInsertRowid });
  });

  it('binds named parameters from an object', () => {
    engine.run('INSERT INTO t (name) VALUES (:name)', { name: 'named' });
    expect(engine.all('SELECT name FROM t WHERE name = $n', { n: 'named' })).toEqual([{ name: 'named' }]);
  });

  it('binds plain Uint8Arrays (also views into a larger buffer) as blobs', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    engine.run('INSERT INTO t (name, data) VALUES (?, ?)', ['bytes', backing.subarray(2, 5)]);
    engine.run('INSERT INTO t (name, data) VALUES (:name, :data)', { name: 'named bytes', data: new Uint8Array([7]) });
    const rows = engine.all("SELECT name, data FROM t WHERE name LIKE '%bytes' ORDER BY name");
    expect(rows.map((row) => [row.name, [...(row.data as Uint8Array)]])).toEqual([
      ['bytes', [1, 2, 3]],
      ['named bytes', [7]],
    ]);
  });

  it('query returns rows, changes and last row id for a statement that returns rows', () => {
    const result = engine.query('INSERT INTO t (name) VALUES (?), (?) RETURNING id, name', ['q1', 'q2']);
    expect(result.rows?.map((row) => row.name)).toEqual(['q1', 'q2']);
    expect(result.changes).toBe(2);
    expect(result.lastInsertRowid).toBe(result.rows?.[1]?.id);
    const select = engine.query('SELECT count(*) AS n FROM t WHERE name LIKE ?', ['q%']);
    expect(select).toEqual({ rows: [{ n: 2n }], changes: 0, lastInsertRowid: result.lastInsertRowid });
  });

  it('query returns no rows for a statement that returns none', () => {
    const result = engine.query('DELETE FROM t WHERE name LIKE ?', ['q%']);
    expect(result.rows).toBeUndefined();
    expect(result.changes).toBe(2);
  });

  it('exec runs several statements and inTransaction follows them', () => {
    expect(engine.inTransaction).toBe(false);
    engine.exec("BEGIN; INSERT INTO t (name) VALUES ('in tx')");
    expect(engine.inTransaction).toBe(true);
    engine.exec('ROLLBACK');
    expect(engine.inTransaction).toBe(false);
    expect(engine.all("SELECT * FROM t WHERE name = 'in tx'")).toEqual([]);
  });

  it('reuses a cached statement across a schema change', () => {
    engine.exec('CREATE TABLE s (a INTEGER)');
    engine.run('INSERT INTO s VALUES (1)');
    expect(engine.all('SELECT * FROM s')).toEqual([{ a: 1n }]);
    engine.exec('ALTER TABLE s ADD COLUMN b TEXT');
    expect(engine.all('SELECT * FROM s')).toEqual([{ a: 1n, b: null }]);
  });

  it('turns SQLite errors into DATABASE_ERROR with the SQLite code', () => {
    const syntax = thrownBy(() => engine.all('SELEC 1'));
    expect(syntax.code).toBe(ErrorCode.DATABASE_ERROR);
    expect(syntax.data).toEqual({ database_code: 'SQLITE_ERROR' });
    engine.run('INSERT INTO t (name) VALUES (?)', ['dup']);
    const unique = thrownBy(() => engine.run('INSERT INTO t (name) VALUES (?)', ['dup']));
    expect(unique.data).toEqual({ database_code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const viaQuery = thrownBy(() => engine.query('INSERT INTO t (name) VALUES (?) RETURNING id', ['dup']));
    expect(viaQuery.data).toEqual({ database_code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const viaExec = thrownBy(() => engine.exec('INSERT INTO nowhere VALUES (1)'));
    expect(viaExec.code).toBe(ErrorCode.DATABASE_ERROR);
    expect(viaExec.message).toContain('no such table: nowhere');
  });

  it('turns library misuse into VALIDATION_ERROR', () => {
    const twoStatements = thrownBy(() => engine.query('SELECT 1; SELECT 2'));
    expect(twoStatements.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(twoStatements.message).toContain('more than one statement');
    const tooMany = thrownBy(() => engine.all('SELECT ?', [1, 2]));
    expect(tooMany.code).toBe(ErrorCode.VALIDATION_ERROR);
    const badValue = thrownBy(() => engine.run('INSERT INTO t (name) VALUES (?)', [{ not: 'bindable' }]));
    expect(badValue.code).toBe(ErrorCode.VALIDATION_ERROR);
  });

  it('opens read-only: reads work, writes fail with SQLITE_READONLY', () => {
    const reader = open(join(dir, 'engine.db'), true);
    expect(reader.all("SELECT name FROM t WHERE name = 'dup'")).toEqual([{ name: 'dup' }]);
    const write = thrownBy(() => reader.run("INSERT INTO t (name) VALUES ('nope')"));
    expect(write.code).toBe(ErrorCode.DATABASE_ERROR);
    expect(write.data?.database_code).toMatch(/^SQLITE_READONLY/);
    reader.close();
  });

  it('refuses to open a missing file read-only with SQLITE_CANTOPEN', () => {
    const error = thrownBy(() => openBetterSqlite3(join(dir, 'missing.db'), { readOnly: true }));
    expect(error.code).toBe(ErrorCode.DATABASE_ERROR);
    expect(error.data).toEqual({ database_code: 'SQLITE_CANTOPEN' });
  });

  it('refuses to open a file in a directory that does not exist', () => {
    const error = thrownBy(() => openBetterSqlite3(join(dir, 'no', 'such', 'dir', 'x.db')));
    expect(error.message).toContain('directory does not exist');
  });

  it('refuses work after close', async () => {
    const closing = open(join(dir, 'closing.db'));
    closing.close();
    expect(thrownBy(() => closing.all('SELECT 1')).message).toContain('not open');
    // The file was a real database: another connection can read it.
    const check = new Database(join(dir, 'closing.db'));
    expect(check.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
    check.close();
  });
});

describe('openSqliteEngine', () => {
  it('opens better-sqlite3 when asked for it', async () => {
    const opened = await openSqliteEngine('better-sqlite3', join(dir, 'via-open.db'));
    deferCleanup(() => opened.close());
    expect(opened.library).toBe('better-sqlite3');
    expect(opened.all('SELECT 2 AS two')).toEqual([{ two: 2n }]);
    expect(() => opened.all('SELEC')).toThrow(RpcError);
  });
});
