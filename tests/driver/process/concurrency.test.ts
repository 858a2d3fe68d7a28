import { beforeAll, describe, expect, it } from 'vitest';
import { RpcClient } from '../../../src/ipc/rpc-client.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { CHILD_TARGETS, type ChildDriver } from '../../helpers/driver.ts';
import { deferCleanup } from '../../helpers/cleanup.ts';
import { RawSocket } from '../../helpers/raw-socket.ts';

type Stats = { connections: number; queue: { clients: Record<string, { done: number; failed: number }> } };

describe.each(CHILD_TARGETS)('concurrency on a real %s', (_label, start) => {
  let driver: ChildDriver;

  beforeAll(async () => {
    driver = await start();
    const db = driver.client();
    await db.createTable({ name: 'items', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] });
    await db.insertMany('items', Array.from({ length: 1000 }, (_, i) => ({ label: `item-${i + 1}` })));
  });

  it('pipelines 1,000 requests in flight on one connection, each answered with its own result', async () => {
    const rpc = driver.rpc({ poolSize: 1 });
    await rpc.call('ping');
    const pinned = await rpc.pin();
    const calls = Array.from({ length: 1000 }, (_, i) =>
      pinned.call<{ data: Array<{ id: number; label: string }> }>('select', { table_name: 'items', where: { id: i + 1 } }),
    );
    // All 1,000 were written before the first answer could be read: they are in flight together.
    expect(pinned.connection.inFlight).toBe(1000);
    const results = await Promise.all(calls);
    results.forEach((result, i) => expect(result.data).toEqual([{ id: i + 1, label: `item-${i + 1}` }]));
    expect(pinned.connection.inFlight).toBe(0);
  });

  it('serves 32 concurrent client connections', async () => {
    const observer = driver.rpc({ poolSize: 1 });
    const clients = Array.from({ length: 32 }, () => {
      const client = new RpcClient(nodeRuntime, { socketPath: driver.socketPath, poolSize: 1 });
      deferCleanup(() => client.close());
      return client;
    });
    await Promise.all(clients.map((client, i) => client.call('hello', { client: `client-${i}` })));
    const stats = await observer.call<Stats>('stats');
    expect(stats.connections).toBeGreaterThanOrEqual(33);
    await Promise.all(
      clients.map(async (client, i) => {
        const work = Array.from({ length: 20 }, (_, j) =>
          j % 2
            ? client.call('insert', { table_name: 'items', data: { label: `c${i}-${j}` } })
            : client.call('select', { table_name: 'items', where: { id: i * 20 + j + 1 } }),
        );
        await Promise.all(work);
      }),
    );
    const after = await observer.call<Stats>('stats');
    for (let i = 0; i < 32; i++) expect(after.queue.clients[`client-${i}`]).toMatchObject({ done: 20, failed: 0 });
    const { data } = await observer.call<{ data: unknown[] }>('select', { table_name: 'items', where: { label: { like: 'c%-%' } } });
    expect(data).toHaveLength(32 * 10);
  });

  it('answers out of order, matching each response to its id exactly as sent', async () => {
    const owner = driver.rpc({ poolSize: 1 });
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    // The transaction writes row 3: another write to it waits (for the single writer on
    // SQLite, for the row lock on PostgreSQL); everything sent after it is answered first.
    await owner.call('update', { table_name: 'items', where: { id: 3 }, data: { label: 'in transaction' }, transaction_id });
    const raw = await RawSocket.connect(driver.socketPath);
    raw.request('write-first', 'update', { table_name: 'items', where: { id: 3 }, data: { label: 'late' } });
    raw.request(0, 'select', { table_name: 'items', where: { id: 1 }, columns: ['label'] });
    raw.request(-2.5, 'select', { table_name: 'items', where: { id: 2 }, columns: ['label'] });
    raw.request('', 'ping');
    await raw.response(3);
    expect(raw.responses.map((response) => response.id).sort()).toEqual([-2.5, 0, ''].sort());
    expect((await raw.responseTo(0)).result).toEqual({ data: [{ label: 'item-1' }] });
    expect((await raw.responseTo(-2.5)).result).toEqual({ data: [{ label: 'item-2' }] });
    expect((await raw.responseTo('')).result).toMatchObject({ pong: true });
    await owner.call('commit_transaction', { transaction_id });
    const last = await raw.response(4);
    expect(last.id).toBe('write-first');
    expect(last.result).toEqual({ affected_rows: 1 });
  });
});
