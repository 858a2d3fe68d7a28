import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupParams, CheckpointParams, ExecuteParams } from '../../../src/driver/params.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { validate } from '../../../src/ipc/validate.ts';
import { deferCleanup } from '../../helpers/cleanup.ts';
import { rejectionOf, thrownBy } from '../../helpers/rpc-error.ts';
import { openSqliteDriver } from '../../helpers/sqlite-driver.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

describe('SqliteDriver maintenance', () => {
  it('refuses a backup when no backup directory was given, and writes nothing', async () => {
    const { driver, dir } = await openSqliteDriver();
    const error = await rejectionOf(driver.backup({ file_name: 'copy.db' }));
    expect(error.code).toBe(ErrorCode.INVALID_REQUEST);
    expect(error.message).toContain('no backup directory');
    expect(existsSync(join(dir, 'copy.db'))).toBe(false);
  });

  it('copies from a reader while a transaction is open on the writer: the last committed state, never its rows', async () => {
    const dir = await makeTempDir();
    const { driver } = await openSqliteDriver({ path: join(dir, 'db.sqlite'), backupDir: join(dir, 'b') });
    await driver.execute(validate(ExecuteParams, { sql: 'CREATE TABLE t (x INTEGER)' }));
    await driver.execute(validate(ExecuteParams, { sql: 'INSERT INTO t VALUES (1)' }));
    const id = await driver.beginTransaction();
    await driver.execute(validate(ExecuteParams, { sql: 'INSERT INTO t VALUES (2)', transaction_id: id }));
    const copy = await driver.backup({ file_name: 'x.db' });
    expect(copy.path).toBe(join(dir, 'b', 'x.db'));
    await driver.commitTransaction(id);
    const check = new Database(copy.path, { readonly: true });
    deferCleanup(() => check.close());
    expect(check.prepare('SELECT x FROM t').pluck().all()).toEqual([1]);
  });

  it('leaves no file behind when a backup fails', async () => {
    const dir = await makeTempDir();
    // The backup directory is a file: nothing can be written there.
    await writeFile(join(dir, 'b'), 'not a directory');
    const { driver } = await openSqliteDriver({ path: join(dir, 'db.sqlite'), backupDir: join(dir, 'b', 'inner') });
    expect((await rejectionOf(driver.backup({ file_name: 'x.db' }))).code).toBe(ErrorCode.INTERNAL_ERROR);
    const { driver: full } = await openSqliteDriver({ path: join(dir, 'full.sqlite'), backupDir: dir });
    await full.execute(validate(ExecuteParams, { sql: 'CREATE TABLE t (x INTEGER)' }));
    // A copy past the deadline is stopped; its partial file is removed, not left empty.
    await full.execute(validate(ExecuteParams, { sql: 'INSERT INTO t WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 300000) SELECT n FROM c' }));
    const stopped = await rejectionOf(full.backup({ file_name: 'late.db' }, { deadline: Date.now() + 5, owner: true }));
    expect(stopped.code).toBe(ErrorCode.TIMEOUT);
    expect(readdirSync(dir).filter((name) => name.startsWith('late.db'))).toEqual([]);
  });

  it('the params: a plain file name, a known checkpoint mode defaulting to passive', () => {
    expect(validate(BackupParams, { file_name: 'code_analysis-20250101T000000Z.db.partial' }).file_name).toBe(
      'code_analysis-20250101T000000Z.db.partial',
    );
    for (const name of ['a\\b', 'x..y', '.', 'a'.repeat(256)]) {
      expect(thrownBy(() => validate(BackupParams, { file_name: name }, { prefix: 'params' })).data?.field).toBe('params.file_name');
    }
    expect(validate(CheckpointParams, undefined)).toEqual({ mode: 'passive' });
    expect(validate(CheckpointParams, {})).toEqual({ mode: 'passive' });
    expect(validate(CheckpointParams, { mode: 'truncate' })).toEqual({ mode: 'truncate' });
  });
});
