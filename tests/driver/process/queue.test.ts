import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, RpcError } from '../../../src/ipc/errors.ts';
import type { RpcClient } from '../../../src/ipc/rpc-client.ts';
import { DRIVER_TARGETS, type DriverHandle } from '../../helpers/driver.ts';
import { RawSocket } from '../../helpers/raw-socket.ts';
import { isSettled, waitFor } from '../../helpers/wait-for.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';

type Stats = { queue: { depth: { total: number }; rejected: number; expired: number } };
const table = (name: string) => ({
  schema: { name, columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] },
});

describe.each(DRIVER_TARGETS)('the request queue of the %s', (_label, start, traits) => {
  let driver: DriverHandle;
  let observer: RpcClient;
  const connection = () => driver.rpc({ poolSize: 1 });
  const depth = async () => (await observer.call<Stats>('stats')).queue.depth.total;

  beforeAll(async () => {
    // A pool of two on PostgreSQL, so its writes compete for the driver as on SQLite.
    driver = await start({ settings: { maxQueueSize: 5, poolSize: 2 } });
    observer = connection();
    await observer.call('create_table', table('full'));
    await observer.call('create_table', table('expiring'));
    await observer.call('create_table', table('aging'));
    await observer.call('create_table', { schema: { name: 'aging_high', columns: [{ name: 'n', type: 'integer' }] } });
  });

  // These two hold writes in the queue with an open transaction, which only a single-writer
  // engine does; on PostgreSQL the writes would run beside it. The queue is the same code.
  it.skipIf(!traits.singleWriter)('answers QUEUE_FULL at once when full, while ping, stats and commit still answer (single-writer engines: SQLite)', async () => {
    const owner = connection();
    const writer = connection();
    // An open transaction holds the writer: other writes wait in the queue.
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    const queued = Array.from({ length: 5 }, (_, i) => writer.call('insert', { table_name: 'full', data: { label: `q${i}` } }));
    await waitFor(async () => (await depth()) === 5, { message: 'five writes waiting' });

    const refused = await writer.call('insert', { table_name: 'full', data: { label: 'one too many' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RpcError);
    expect((refused as RpcError).code).toBe(ErrorCode.QUEUE_FULL);
    for (const call of queued) expect(await isSettled(call)).toBe(false);

    expect(await writer.call('ping')).toMatchObject({ pong: true });
    expect((await observer.call<Stats>('stats')).queue.rejected).toBe(1);
    expect(await owner.call('commit_transaction', { transaction_id })).toEqual({ success: true });
    await Promise.all(queued);
    const { data } = await observer.call<{ data: unknown[] }>('select', { table_name: 'full' });
    expect(data).toHaveLength(5);
  });

  it.skipIf(!traits.singleWriter)('a request whose deadline passes in the queue gets TIMEOUT and is never executed (single-writer engines: SQLite)', async () => {
    const owner = connection();
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    const raw = await RawSocket.connect(driver.socketPath);
    raw.request('late-1', 'insert', { table_name: 'expiring', data: { label: 'too late' } }, { timeout_ms: 150 });
    const response = await raw.responseTo('late-1');
    expect(response.error).toMatchObject({ code: ErrorCode.TIMEOUT });
    expect(String((response.error as { message: string }).message)).toContain('not executed');
    // Through the client, the server's definite verdict arrives before the client gives up.
    const viaClient = await rejectionOf(
      driver.rpc({ poolSize: 1 }).call('insert', { table_name: 'expiring', data: { label: 'also too late' } }, { timeoutMs: 150 }),
    );
    expect(viaClient.code).toBe(ErrorCode.TIMEOUT);
    expect(viaClient.message).toContain('not executed');
    await owner.call('commit_transaction', { transaction_id });
    // The writer is free again: anything still queued would run now. Prove nothing does.
    await observer.call('insert', { table_name: 'expiring', data: { label: 'after commit' } });
    const { data } = await observer.call<{ data: Array<{ label: string }> }>('select', { table_name: 'expiring' });
    expect(data.map((row) => row.label)).toEqual(['after commit']);
    expect((await observer.call<Stats>('stats')).queue.expired).toBe(2);
  });

  it('low priority work finishes while high priority work keeps arriving', async () => {
    const high = driver.rpc({ poolSize: 1 });
    const low = connection();
    let stop = false;
    let highDone = 0;
    let highDoneWhenLowFinished = -1;
    // Slow high-priority writes, more in flight than the driver runs at once: the queue
    // always holds high work competing with the low write, so without aging a
    // strict-priority queue would never get to it. (Writes: reads run beside writes.)
    const slow =
      'INSERT INTO aging_high (n) SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) SELECT x FROM c) AS counted';
    const pump = async () => {
      while (!stop) {
        await high.call('execute', { sql: slow }, { priority: 'high' });
        highDone++;
      }
    };
    // SQLite runs one write at a time, PostgreSQL here one per pooled connection (2): a few wait either way.
    const pumps = Array.from({ length: 4 }, pump);
    await waitFor(() => highDone > 20, { message: 'the high-priority stream to run' });
    const started = highDone;
    await low.call('insert', { table_name: 'aging', data: { label: 'low' } }, { priority: 'low' });
    highDoneWhenLowFinished = highDone;
    await waitFor(() => highDone > highDoneWhenLowFinished + 10, { message: 'high-priority work to go on after the low one' });
    stop = true;
    await Promise.all(pumps);
    expect(highDoneWhenLowFinished).toBeGreaterThan(started);
    const { data } = await observer.call<{ data: Array<{ label: string }> }>('select', { table_name: 'aging' });
    expect(data.map((row) => row.label)).toEqual(['low']);
  });
});
