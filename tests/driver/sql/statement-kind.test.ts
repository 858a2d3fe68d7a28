import { describe, expect, it } from 'vitest';
import { isReadOnlyStatement, isTransactionControl, leadingKeyword, splitStatements } from '../../../src/driver/sql/statement-kind.ts';

describe('leadingKeyword', () => {
  it.each([
    ['SELECT 1', 'SELECT'],
    ['select 1', 'SELECT'],
    ['  \n\t insert into t values (1)', 'INSERT'],
    ['-- a comment\nUPDATE t SET x = 1', 'UPDATE'],
    ['-- one\n  -- two\n\tdelete from t', 'DELETE'],
    ['/* block */ WITH x AS (SELECT 1) SELECT * FROM x', 'WITH'],
    ['/* multi\nline */\n-- then a line\n  begin', 'BEGIN'],
    ['/**/commit', 'COMMIT'],
    ['PRAGMA foreign_keys', 'PRAGMA'],
    ['Begin;', 'BEGIN'],
  ])('%j starts with %s', (sql, keyword) => {
    expect(leadingKeyword(sql)).toBe(keyword);
  });

  it.each([
    ['the empty string', ''],
    ['only white space', '  \n '],
    ['only a line comment without a newline', '-- BEGIN'],
    ['an unterminated block comment', '/* BEGIN'],
    ['a statement starting with punctuation', '(SELECT 1)'],
  ])('is empty for %s', (_label, sql) => {
    expect(leadingKeyword(sql)).toBe('');
  });
});

describe('isTransactionControl', () => {
  it.each([
    'BEGIN',
    'begin immediate',
    'BEGIN EXCLUSIVE TRANSACTION',
    'COMMIT',
    'commit transaction',
    'END',
    'end transaction',
    'ROLLBACK',
    'rollback to sp',
    'SAVEPOINT sp',
    'RELEASE sp',
    'release savepoint sp',
    'START TRANSACTION',
    'ABORT',
    '-- hide it\nCOMMIT',
    '/* hide it */ ROLLBACK',
    '  /* a */ -- b\n  \tSAVEPOINT x',
  ])('is true for %j', (sql) => {
    expect(isTransactionControl(sql)).toBe(true);
  });

  it.each([
    'SELECT * FROM begin_log',
    'INSERT INTO t (commit_id) VALUES (1)',
    'UPDATE t SET x = 1',
    'DELETE FROM t',
    'CREATE TABLE savepoints (x)',
    "SELECT 'BEGIN'",
    '-- COMMIT\nSELECT 1',
    '/* ROLLBACK */ SELECT 1',
    'BEGINNING',
    '',
  ])('is false for %j', (sql) => {
    expect(isTransactionControl(sql)).toBe(false);
  });

});

describe('splitStatements', () => {
  it.each([
    ['SELECT 1', ['SELECT 1']],
    ['SELECT 1;', ['SELECT 1']],
    [';COMMIT', ['COMMIT']],
    [' ; ; ROLLBACK', [' ROLLBACK']],
    ['SELECT 1; DROP TABLE t', ['SELECT 1', ' DROP TABLE t']],
    ["SELECT ';' AS s", ["SELECT ';' AS s"]],
    ["SELECT 'it''s;' AS s", ["SELECT 'it''s;' AS s"]],
    ['SELECT "a;b" FROM t', ['SELECT "a;b" FROM t']],
    ['SELECT [x;y], `p;q` FROM t', ['SELECT [x;y], `p;q` FROM t']],
    ['SELECT 1 -- ; not a separator\n', ['SELECT 1 -- ; not a separator\n']],
    ['SELECT /* ; */ 1', ['SELECT /* ; */ 1']],
    ['SELECT 1; -- trailing comment', ['SELECT 1']],
    ['', []],
    ["SELECT 'unterminated;", ["SELECT 'unterminated;"]],
  ])('%j holds %j', (sql, statements) => {
    expect(splitStatements(sql)).toEqual(statements);
  });

  it('finds transaction control hidden behind an empty statement', () => {
    expect(splitStatements(';COMMIT').map((statement) => isTransactionControl(statement))).toEqual([true]);
  });
});

describe('splitStatements of SQLite triggers', () => {
  it('keeps a trigger body with its semicolons in one statement, as sqlite3_complete() does', () => {
    const trigger = 'CREATE TEMP TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN n > 1 THEN 0 END; DELETE FROM c; END';
    expect(splitStatements(`${trigger}; SELECT 1`)).toEqual([trigger, ' SELECT 1']);
    expect(splitStatements(trigger, 'postgres')).toHaveLength(3);
  });
});

describe('isReadOnlyStatement', () => {
  it.each([
    ['SELECT 1', true],
    ['with x as (select 1) select * from x', true],
    ['VALUES (1)', true],
    ['PRAGMA table_info(t)', true],
    ['PRAGMA synchronous = OFF', false],
    ['WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', false],
    ['SELECT * FROM t FOR UPDATE', false],
    ['INSERT INTO t VALUES (1)', false],
    ['DROP TABLE t', false],
    ['', false],
  ])('%j: %s', (sql, readOnly) => {
    expect(isReadOnlyStatement(sql)).toBe(readOnly);
  });
});
