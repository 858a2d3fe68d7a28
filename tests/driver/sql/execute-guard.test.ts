import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { ProtectedTables } from '../../../src/driver/protection.ts';
import { guardExecute } from '../../../src/driver/sql/execute-guard.ts';
import type { SqlDialectName } from '../../../src/driver/sql/sql-lexer.ts';
import { thrownBy } from '../../helpers/rpc-error.ts';

const tables = new ProtectedTables(['symbols', 'files']);
const stranger = { owner: false, protectedTables: tables };
const owner = { owner: true, protectedTables: tables };

const refusal = (sql: string, dialect: SqlDialectName, caller = owner) => thrownBy(() => guardExecute(sql, dialect, caller));

describe('the execute guards, for every caller (owner included)', () => {
  it.each([
    ["ATTACH DATABASE '/tmp/x.db' AS x", /ATTACH is refused/],
    ['attach ? as x', /ATTACH is refused/],
    ['DETACH x', /DETACH is refused/],
    ["VACUUM INTO '/tmp/copy.db'", /VACUUM INTO is refused/],
    ["vacuum main into '/tmp/copy.db'", /VACUUM INTO is refused/],
    ['PRAGMA synchronous=OFF', /PRAGMA synchronous is refused/],
    ['PRAGMA synchronous = 0', /PRAGMA synchronous is refused/],
    ['PRAGMA synchronous(0)', /PRAGMA synchronous is refused/],
    ['PRAGMA main.query_only = 1', /PRAGMA query_only is refused/],
    ['PRAGMA locking_mode=EXCLUSIVE', /PRAGMA locking_mode is refused/],
    ['PRAGMA writable_schema = ON', /PRAGMA writable_schema is refused/],
    ['PRAGMA journal_mode = DELETE', /PRAGMA journal_mode is refused/],
    ['PRAGMA wal_checkpoint(TRUNCATE)', /PRAGMA wal_checkpoint is refused/],
    ["SELECT load_extension('/tmp/evil.so')", /load_extension\(\) is refused/],
    ['-- hidden\n/* twice */ ATTACH \'x\' AS y', /ATTACH is refused/],
  ])('SQLite refuses %j', (sql, message) => {
    const error = refusal(sql, 'sqlite');
    expect(error.code).toBe(ErrorCode.PERMISSION_DENIED);
    expect(error.message).toMatch(message);
    expect(error.data).toMatchObject({ field: 'sql' });
  });

  it.each([
    ['PRAGMA table_info(files)', true],
    ['PRAGMA main.index_list("files")', true],
    ['PRAGMA integrity_check', true],
    ['PRAGMA foreign_key_check', true],
    ['pragma synchronous', true],
    ['PRAGMA journal_mode', true],
    ["SELECT 'ATTACH DATABASE' AS text", true],
    ['SELECT * FROM pragma_table_info(\'files\')', true],
    ['VACUUM', false],
    ['CREATE TABLE notes (id INTEGER PRIMARY KEY)', false],
  ])('SQLite lets %j through (read-only: %s)', (sql, readOnly) => {
    expect(guardExecute(sql, 'sqlite', stranger)).toEqual({ readOnly });
  });

  it.each([
    ["COPY files TO '/tmp/out'", /COPY is refused/],
    ["COPY files FROM PROGRAM 'id'", /COPY is refused/],
    ['ALTER SYSTEM SET fsync = off', /ALTER SYSTEM is refused/],
    ['CREATE EXTENSION file_fdw', /extensions are refused/],
    ["LOAD '/tmp/evil.so'", /LOAD is refused/],
    ['CREATE TRUSTED LANGUAGE plx HANDLER h', /CREATE LANGUAGE is refused/],
    ["CREATE FUNCTION f() RETURNS int AS '/tmp/evil.so', 'f' LANGUAGE C", /LANGUAGE C are refused/],
    ['CREATE SERVER s FOREIGN DATA WRAPPER file_fdw', /foreign servers/],
    ['SET synchronous_commit = off', /SET is refused/],
    ['set search_path = elsewhere', /SET is refused/],
    ['SET SESSION default_transaction_read_only = on', /SET is refused/],
    ['SET LOCAL synchronous_commit TO off', /SET LOCAL synchronous_commit is refused/],
    ['SET LOCAL ROLE postgres', /SET LOCAL ROLE is refused/],
    ['RESET ALL', /RESET is refused/],
    ["SELECT pg_read_file('/etc/passwd')", /pg_read_file\(\) is refused/],
    ["SELECT pg_catalog.lo_export(1, '/tmp/x')", /lo_export\(\) is refused/],
    ["SELECT set_config('synchronous_commit', 'off', false)", /set_config\(\) is refused/],
  ])('PostgreSQL refuses %j', (sql, message) => {
    const error = refusal(sql, 'postgres');
    expect(error.code).toBe(ErrorCode.PERMISSION_DENIED);
    expect(error.message).toMatch(message);
  });

  it.each([
    ['SET LOCAL statement_timeout = 100', false],
    ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', false],
    ["SELECT $$ COPY x TO '/tmp' $$ AS body", true],
    ['SELECT jsonb_build_object(\'a\', 1) ? \'a\'', true],
    ['EXPLAIN SELECT 1', true],
    ['EXPLAIN ANALYZE DELETE FROM notes', false],
    ['WITH gone AS (DELETE FROM notes RETURNING *) SELECT count(*) FROM gone', false],
    ['SELECT * INTO copy FROM notes', false],
  ])('PostgreSQL lets %j through (read-only: %s)', (sql, readOnly) => {
    expect(guardExecute(sql, 'postgres', owner)).toEqual({ readOnly });
  });

  it('keeps the structural checks: one statement, no transaction control', () => {
    expect(refusal('SELECT 1; SELECT 2', 'sqlite').message).toBe('sql: expected exactly one statement, found 2');
    expect(refusal(';BEGIN', 'postgres').message).toContain('transaction control statements are refused');
    expect(thrownBy(() => guardExecute('COMMIT', 'sqlite', owner, 'operations[2].params.sql')).data).toEqual({ field: 'operations[2].params.sql' });
  });
});

describe('protected tables in raw SQL', () => {
  it.each([
    'DROP TABLE symbols',
    'delete from "symbols" where 1',
    'INSERT INTO symbols_fts(rowid) VALUES (1)',
    'UPDATE main.files SET path = 1',
    'CREATE TRIGGER t AFTER INSERT ON notes BEGIN DELETE FROM files; END',
    'ALTER TABLE notes RENAME TO Symbols',
    'CREATE VIEW v AS SELECT * FROM symbols',
  ])('refuses %j to a connection that is not the owner, and lets the owner run it', (sql) => {
    const error = refusal(sql, 'sqlite', stranger);
    expect(error.code).toBe(ErrorCode.PERMISSION_DENIED);
    expect(error.message).toMatch(/table "(symbols|files|symbols_fts|Symbols)" is protected/);
    expect(guardExecute(sql, 'sqlite', owner)).toEqual({ readOnly: false });
  });

  it('lets everybody read them', () => {
    expect(guardExecute('SELECT s.name FROM symbols s JOIN files f ON f.id = s.file_id', 'sqlite', stranger)).toEqual({ readOnly: true });
    expect(guardExecute('SELECT * FROM symbols_fts WHERE symbols_fts MATCH ?', 'postgres', stranger)).toEqual({ readOnly: true });
  });

  it('refuses the driver\'s own meta table to everybody', () => {
    expect(refusal("UPDATE _code_analysis_meta SET value = '9'", 'sqlite', owner).message).toMatch(/driver's own bookkeeping/);
    expect(guardExecute('SELECT * FROM _code_analysis_meta', 'sqlite', stranger)).toEqual({ readOnly: true });
  });

  it.each(['DO $$ BEGIN EXECUTE \'DROP TABLE \' || \'sym\' || \'bols\'; END $$', 'CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM x $$ LANGUAGE sql', 'CALL p()', 'CREATE TRIGGER t BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION f()', 'DROP TABLE U&"\\0073ymbols"'])(
    'on PostgreSQL refuses %j to a connection that is not the owner: its tables cannot be read off its text',
    (sql) => {
      expect(refusal(sql, 'postgres', stranger).message).toMatch(/only the server's own connections/);
      expect(guardExecute(sql, 'postgres', owner)).toEqual({ readOnly: false });
    },
  );
});
