import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import type { RpcClient } from '../../../src/ipc/rpc-client.ts';
import { DRIVER_TARGETS, type DriverHandle } from '../../helpers/driver.ts';
import { isSettled, waitFor } from '../../helpers/wait-for.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';

type Stats = { open_transactions: number; queue: { depth: { total: number } } };

describe.each(DRIVER_TARGETS)('transactions are leases on the %s', (_label, start, traits) => {
  let driver: DriverHandle;
  let observer: RpcClient;
  /** A new client with one connection: one connection = one lease owner. */
  const connection = () => driver.rpc({ poolSize: 1 });
  const labels = async (table: string, via = observer) =>
    (await via.call<{ data: Array<{ label: string }> }>('select', { table_name: table, columns: ['label'], order_by: ['id'] })).data.map(
      (row) => row.label,
    );
  const stats = () => observer.call<Stats>('stats');

  beforeAll(async () => {
    driver = await start({ settings: { transactionTimeoutMs: 30_000 } });
    observer = connection();
    for (const table of ['iso', 'waits', 'proceeds', 'foreign', 'closed', 'idle', 'ordered']) {
      await observer.call('create_table', {
        schema: { name: table, columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] },
      });
    }
  });

  it('another connection does not see uncommitted rows', async () => {
    const owner = connection();
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    await owner.call('insert', { table_name: 'iso', data: { label: 'uncommitted' }, transaction_id });
    expect(await labels('iso')).toEqual([]);
    const inside = await owner.call<{ data: unknown[] }>('select', { table_name: 'iso', transaction_id });
    expect(inside.data).toHaveLength(1);
    await owner.call('commit_transaction', { transaction_id });
    expect(await labels('iso')).toEqual(['uncommitted']);
  });

  it.skipIf(!traits.singleWriter)("another connection's write waits until commit, then succeeds after the transaction's rows (single-writer engines: SQLite)", async () => {
    const owner = connection();
    const other = connection();
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    await owner.call('insert', { table_name: 'waits', data: { label: 'in transaction' }, transaction_id });
    const waiting = other.call<{ row_id: number }>('insert', { table_name: 'waits', data: { label: 'waited' } });
    await waitFor(async () => (await stats()).queue.depth.total === 1, { message: 'the other write to wait in the queue' });
    expect(await isSettled(waiting)).toBe(false);
    // Readers are not held back by the open transaction.
    expect(await labels('waits')).toEqual([]);
    await owner.call('commit_transaction', { transaction_id });
    expect((await waiting).row_id).toBe(2);
    expect(await labels('waits')).toEqual(['in transaction', 'waited']);
  });

  it.skipIf(traits.singleWriter)("another connection's write proceeds while a transaction is open (one connection per transaction: PostgreSQL)", async () => {
    const owner = connection();
    const other = connection();
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    await owner.call('insert', { table_name: 'proceeds', data: { label: 'in transaction' }, transaction_id });
    await other.call('insert', { table_name: 'proceeds', data: { label: 'did not wait' } });
    expect(await labels('proceeds')).toEqual(['did not wait']);
    await owner.call('commit_transaction', { transaction_id });
    expect((await labels('proceeds')).sort()).toEqual(['did not wait', 'in transaction']);
  });

  it('the transaction id is refused on a foreign connection', async () => {
    const owner = connection();
    const intruder = connection();
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    for (const [method, params] of [
      ['insert', { table_name: 'foreign', data: { label: 'intruder' }, transaction_id }],
      ['select', { table_name: 'foreign', transaction_id }],
      ['commit_transaction', { transaction_id }],
      ['rollback_transaction', { transaction_id }],
    ] as const) {
      const error = await rejectionOf(intruder.call(method, params));
      expect(error.code).toBe(ErrorCode.TRANSACTION_ERROR);
      expect(error.message).toContain('belongs to another connection');
    }
    await owner.call('insert', { table_name: 'foreign', data: { label: 'owner' }, transaction_id });
    await owner.call('commit_transaction', { transaction_id });
    expect(await labels('foreign')).toEqual(['owner']);
    const unknown = await rejectionOf(owner.call('commit_transaction', { transaction_id: 'tx-does-not-exist' }));
    expect(unknown.code).toBe(ErrorCode.TRANSACTION_ERROR);
  });

  it('closing the owning connection rolls the transaction back and frees the writer', async () => {
    const owner = connection();
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    await owner.call('insert', { table_name: 'closed', data: { label: 'orphan' }, transaction_id });
    expect((await stats()).open_transactions).toBe(1);
    owner.close();
    await waitFor(async () => (await stats()).open_transactions === 0, { message: 'the lease to be released' });
    expect(await labels('closed')).toEqual([]);
    await observer.call('insert', { table_name: 'closed', data: { label: 'after' } });
    expect(await labels('closed')).toEqual(['after']);
  });

  it('a transaction idle past its timeout_ms is rolled back and says so', async () => {
    const owner = connection();
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction', { timeout_ms: 200 });
    await owner.call('insert', { table_name: 'idle', data: { label: 'idle' }, transaction_id });
    await waitFor(async () => (await stats()).open_transactions === 0, { message: 'the idle transaction to be rolled back' });
    const error = await rejectionOf(owner.call('insert', { table_name: 'idle', data: { label: 'late' }, transaction_id }));
    expect(error.code).toBe(ErrorCode.TRANSACTION_ERROR);
    expect(error.message).toContain('idle');
    expect(await labels('idle')).toEqual([]);
  });

  it("a transaction's pipelined requests run in the order they were sent", async () => {
    const owner = connection();
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction', { timeout_ms: 10_000 });
    const inserts = Array.from({ length: 200 }, (_, i) =>
      owner.call('insert', { table_name: 'ordered', data: { label: `row-${i}` }, transaction_id }, { priority: i % 2 ? 'low' : 'critical' }),
    );
    const commit = owner.call('commit_transaction', { transaction_id });
    await Promise.all([...inserts, commit]);
    expect(await labels('ordered')).toEqual(Array.from({ length: 200 }, (_, i) => `row-${i}`));
  });
});
