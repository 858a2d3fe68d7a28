import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupParams, CheckpointParams } from '../../../src/driver/params.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { validate } from '../../../src/ipc/validate.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
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

  it('refuses a backup while a transaction is open on the writer', async () => {
    const dir = await makeTempDir();
    const { driver } = await openSqliteDriver({ path: join(dir, 'db.sqlite'), backups: { dir: join(dir, 'b'), fs: nodeRuntime.fs } });
    const id = await driver.beginTransaction();
    const error = await rejectionOf(driver.backup({ file_name: 'x.db' }));
    expect(error.code).toBe(ErrorCode.INTERNAL_ERROR);
    await driver.rollbackTransaction(id);
    expect((await driver.backup({ file_name: 'x.db' })).path).toBe(join(dir, 'b', 'x.db'));
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
