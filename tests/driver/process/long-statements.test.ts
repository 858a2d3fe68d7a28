import { beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../src/db/connect.ts';
import type { DatabaseClient } from '../../../src/db/database-client.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { deferCleanup } from '../../helpers/cleanup.ts';
import { DRIVER_TARGETS, type DriverHandle } from '../../helpers/driver.ts';
import { watch } from '../../helpers/rpc-test-server.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { startServe } from '../../helpers/serve.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/** Never ends on its own: only its deadline stops it. */
const FOREVER = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM c';
const FOREVER_INSERT = 'INSERT INTO marks (label) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT \'x\' || x FROM c';

const MARKS = { name: 'marks', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] };

/**
 * Keep pinging and reading on `db` until `call` settles; how many of each answered while it
 * was still running (the call's own state is checked after each answer: no clock involved).
 */
async function answeredMeanwhile(db: DatabaseClient, call: Promise<unknown>): Promise<{ pings: number; reads: number }> {
  const state = watch(call);
  const counts = { pings: 0, reads: 0 };
  while (!state.settled) {
    await db.ping();
    if (!state.settled) counts.pings++;
    await db.select('marks', { where: { id: 1 } });
    if (!state.settled) counts.reads++;
  }
  return counts;
}

// Issue 13 (reads never wait behind a long statement) and issue 14 case 4 (long statements end).
describe.each(DRIVER_TARGETS)('long statements on the %s', (_label, start, traits) => {
  let driver: DriverHandle;
  let db: DatabaseClient;

  beforeAll(async () => {
    driver = await start();
    db = driver.client();
    await db.createTable(MARKS);
    await db.insertMany('marks', [{ label: 'kept 1' }, { label: 'kept 2' }]);
  });

  const kept = async () => expect((await db.select('marks', { order_by: ['id'] })).data).toEqual([{ id: 1, label: 'kept 1' }, { id: 2, label: 'kept 2' }]);

  it('a read past its timeout_ms is stopped with TIMEOUT, while pings and reads on another connection keep answering', async () => {
    const other = driver.client({ poolSize: 1 });
    const long = rejectionOf(driver.client({ poolSize: 1 }).execute(FOREVER, undefined, { timeoutMs: 1500 }));
    const meanwhile = await answeredMeanwhile(other, long);
    const error = await long;
    expect(error.code).toBe(ErrorCode.TIMEOUT);
    expect(error.message).toMatch(/ran past its deadline/);
    expect(meanwhile.pings).toBeGreaterThan(0);
    expect(meanwhile.reads).toBeGreaterThan(0);
    await kept();
  });

  it('a write past its timeout_ms is stopped and rolled back, and writes after it go through', async () => {
    const other = driver.client({ poolSize: 1 });
    const long = rejectionOf(driver.client({ poolSize: 1 }).execute(FOREVER_INSERT, undefined, { timeoutMs: 1000 }));
    const meanwhile = await answeredMeanwhile(other, long);
    expect((await long).code).toBe(ErrorCode.TIMEOUT);
    expect(meanwhile.pings).toBeGreaterThan(0);
    await kept();
    await db.insert('marks', { id: 3, label: 'after' });
    await db.delete('marks', { id: 3 });
  });

  it('inside a transaction: a statement past its deadline ends as the engine does it, and nothing of the transaction leaks', async () => {
    const rpc = driver.rpc({ poolSize: 1 });
    const { transaction_id } = await rpc.call<{ transaction_id: string }>('begin_transaction');
    await rpc.call('insert', { table_name: 'marks', data: { id: 10, label: 'in the transaction' }, transaction_id });
    const stopped = await rejectionOf(rpc.call('execute', { sql: FOREVER_INSERT, transaction_id }, { timeoutMs: 800 }));
    expect(stopped.code).toBe(ErrorCode.TIMEOUT);
    if (traits.singleWriter) {
      // SQLite rolls the whole transaction back when it stops a write inside it.
      const gone = await rejectionOf(rpc.call('insert', { table_name: 'marks', data: { id: 11 }, transaction_id }));
      expect(gone.code).toBe(ErrorCode.TRANSACTION_ERROR);
      expect(gone.message).toContain('a statement ran past its deadline');
      await rpc.call('rollback_transaction', { transaction_id });
    } else {
      // PostgreSQL rolls back the statement's savepoint: the transaction goes on.
      await rpc.call('commit_transaction', { transaction_id });
      await db.delete('marks', { id: 10 });
    }
    await kept();
  });
});

describe('a statement longer than the supervisor\'s patience, in a real serve', () => {
  it('is not taken for a hung driver: pings keep answering, the driver is not restarted, nothing acknowledged is lost', async () => {
    // Three missed pings 200 ms apart would be a hang; the statement runs far longer than that.
    const serve = await startServe();
    const db = connectDatabase(nodeRuntime, { socketPath: serve.paths.socket, timeoutMs: 30_000 });
    deferCleanup(() => db.close());
    await db.createTable(MARKS);
    await db.insertMany('marks', [{ label: 'kept 1' }, { label: 'kept 2' }]);
    const before = await serve.service('driver');
    const long = rejectionOf(db.execute(FOREVER, undefined, { timeoutMs: 3000 }));
    const state = watch(long);
    let healthy = 0;
    while (!state.settled) {
      if ((await serve.get('/health')).status === 200 && !state.settled) healthy++;
    }
    expect((await long).code).toBe(ErrorCode.TIMEOUT);
    expect(healthy).toBeGreaterThan(0);
    await waitFor(async () => (await serve.service('driver')).health === 'ok', { message: 'the driver to be healthy' });
    const after = await serve.service('driver');
    expect(after.pid).toBe(before.pid);
    expect(after.restarts).toBe(0);
    expect((await db.select('marks', { order_by: ['id'] })).data).toEqual([{ id: 1, label: 'kept 1' }, { id: 2, label: 'kept 2' }]);
  });
});
