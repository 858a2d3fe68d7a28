import Database from 'better-sqlite3';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseClient } from '../../../src/db/database-client.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { type DriverHandle, SQLITE_TARGETS, startInProcessDriver } from '../../helpers/driver.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { watch } from '../../helpers/rpc-test-server.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const events = { name: 'events', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] };

/** Open a backup file as a plain SQLite database, as someone restoring it would. */
function openCopy(path: string) {
  const copy = new Database(path, { readonly: true });
  try {
    const integrity = (copy.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
    const rows = (copy.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    return { integrity, rows };
  } finally {
    copy.close();
  }
}

// SQLite only: backup files and the -wal file are SQLite's; PostgreSQL's maintenance answers
// are tested in tests/driver/postgres/postgres-driver.test.ts.
describe.each(SQLITE_TARGETS)('backup, optimize and checkpoint on the %s', (_label, start) => {
  let driver: DriverHandle;
  let db: DatabaseClient;
  let backupDir: string;

  beforeAll(async () => {
    const dir = await makeTempDir();
    // Not created beforehand: the driver makes it on the first backup.
    backupDir = join(dir, 'snapshots', 'nested');
    driver = await start({ dir, settings: { backupDir } });
    db = driver.client();
    await db.createTable(events);
  });

  it('a backup taken while another connection keeps inserting is a consistent copy as of that moment', async () => {
    const writer = driver.client({ poolSize: 1 });
    let acknowledged = 0;
    let writing = true;
    const inserting = (async () => {
      while (writing) {
        await writer.insert('events', { label: `row ${acknowledged}` });
        acknowledged++;
      }
    })();
    await waitFor(() => acknowledged >= 50, { message: 'the writer to get going' });
    const before = acknowledged;
    const result = await db.backup('during-writes.db');
    const after = acknowledged;
    await waitFor(() => acknowledged >= after + 20, { message: 'writes to go on after the backup' });
    writing = false;
    await inserting;

    expect(result.path).toBe(join(backupDir, 'during-writes.db'));
    expect(result.bytes).toBe(statSync(result.path).size);
    expect(result.bytes).toBeGreaterThan(0);
    expect(result.duration_ms).toBeGreaterThanOrEqual(0);
    const copy = openCopy(result.path);
    expect(copy.integrity).toBe('ok');
    expect(copy.rows).toBeGreaterThanOrEqual(before);
    expect(copy.rows).toBeLessThanOrEqual(after);
    const { data } = await db.select('events', { columns: ['id'] });
    expect(data.length).toBeGreaterThan(copy.rows);
  });

  it('refuses bad file names naming file_name, writes nothing outside the directory, and stays up', async () => {
    const parent = dirname(backupDir);
    const outsideBefore = readdirSync(parent).sort();
    for (const name of ['../x', 'a/b', '', '..', 'a\0b', '/etc/passwd']) {
      const error = await rejectionOf(db.backup(name));
      expect(error.code, JSON.stringify(name)).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.data?.field).toBe('params.file_name');
      expect(error.message).toContain('file_name');
    }
    expect(readdirSync(parent).sort()).toEqual(outsideBefore);
    expect(existsSync(join(backupDir, 'a'))).toBe(false);

    writeFileSync(join(backupDir, 'taken.db'), 'keep me');
    const exists = await rejectionOf(db.backup('taken.db'));
    expect(exists.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(exists.data?.field).toBe('file_name');
    expect(exists.message).toContain('already exists');
    expect(statSync(join(backupDir, 'taken.db')).size).toBe('keep me'.length);

    const extra = await rejectionOf(driver.rpc().call('backup', { file_name: 'x.db', path: '/tmp' }));
    expect(extra).toMatchObject({ code: ErrorCode.VALIDATION_ERROR, data: { field: 'params.path' } });
    expect(await db.ping()).toMatchObject({ pong: true });
  });

  it('copies the last committed state while a transaction is open, without waiting for it or seeing its rows', async () => {
    const owner = driver.rpc({ poolSize: 1 });
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    await owner.call('insert', { table_name: 'events', data: { label: 'in the transaction' }, transaction_id });
    const { data } = await db.select('events', { columns: ['id'] });
    const result = await db.backup('during-transaction.db');
    expect(openCopy(result.path).rows).toBe(data.length);
    await owner.call('commit_transaction', { transaction_id });
    expect((await db.select('events', { columns: ['id'] })).data).toHaveLength(data.length + 1);
  });

  it('a backup of a large database: selects and writes on other connections keep answering while it copies', async () => {
    // About 40 MB: the copy takes a while, and the reads and writes below go on meanwhile.
    await db.createTable({ name: 'bulk', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'body', type: 'text' }] });
    const body = 'x'.repeat(2_000);
    for (let batch = 0; batch < 20; batch++) await db.insertMany('bulk', Array.from({ length: 1_000 }, () => ({ body })));
    const reader = driver.client({ poolSize: 1 });
    const writer = driver.client({ poolSize: 1 });
    const copying = db.backup('large.db');
    const state = watch(copying);
    let reads = 0;
    let writes = 0;
    while (!state.settled) {
      await reader.select('bulk', { where: { id: 1 }, columns: ['id'] });
      await writer.insert('events', { label: 'during the large backup' });
      if (!state.settled) {
        reads++;
        writes++;
      }
    }
    const result = await copying;
    expect(reads).toBeGreaterThan(0);
    expect(writes).toBeGreaterThan(0);
    expect(result.bytes).toBeGreaterThan(40_000_000);
    const copy = new Database(result.path, { readonly: true });
    try {
      expect(copy.prepare('SELECT count(*) AS n FROM bulk').get()).toEqual({ n: 20_000 });
    } finally {
      copy.close();
    }
    await db.dropTable('bulk');
  });

  it('optimize answers success', async () => {
    expect(await db.optimize()).toEqual({ success: true });
  });

  it('checkpoint reports frames; truncate empties the -wal file', async () => {
    await db.insert('events', { label: 'something for the log' });
    const passive = await db.checkpoint();
    expect(passive.busy).toBe(0);
    expect(passive.log_frames).toBeGreaterThanOrEqual(passive.checkpointed_frames);
    expect(passive.checkpointed_frames).toBeGreaterThanOrEqual(0);
    for (const mode of ['full', 'restart'] as const) {
      expect(await db.checkpoint(mode)).toMatchObject({ busy: 0 });
    }
    await db.insert('events', { label: 'more for the log' });
    expect(statSync(`${driver.databasePath}-wal`).size).toBeGreaterThan(0);
    const truncated = await db.checkpoint('truncate');
    expect(truncated).toEqual({ busy: 0, log_frames: 0, checkpointed_frames: 0 });
    expect(statSync(`${driver.databasePath}-wal`).size).toBe(0);

    const bad = await rejectionOf(driver.rpc().call('checkpoint', { mode: 'sideways' }));
    expect(bad).toMatchObject({ code: ErrorCode.VALIDATION_ERROR, data: { field: 'params.mode' } });
  });
});

describe('the backup directory', () => {
  it('defaults to backups/ beside the database', async () => {
    const driver = await startInProcessDriver();
    const db = driver.client();
    await db.createTable(events);
    await db.insert('events', { label: 'one' });
    const result = await db.backup('default.db');
    expect(result.path).toBe(join(dirname(driver.databasePath), 'backups', 'default.db'));
    expect(openCopy(result.path)).toEqual({ integrity: 'ok', rows: 1 });
  });
});
