import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/runtime/logger.ts';
import { runDriverProcess } from '../../../src/driver/process/driver-process.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { startInProcessDriver } from '../../helpers/driver.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { isSettled, waitFor } from '../../helpers/wait-for.ts';

type Stats = { open_transactions: number; queue: { depth: { total: number } } };
const notes = { schema: { name: 'notes', columns: [{ name: 'body', type: 'text' }] } };

/**
 * The shutdown path of the driver process, in-process so its coverage counts: the same
 * code SIGTERM runs in a child (tests/driver/process/driver-process.test.ts).
 */
describe('driver shutdown', () => {
  it('waits for an open transaction to finish, then stops', async () => {
    const driver = await startInProcessDriver({ settings: { drainTimeoutMs: 30_000 } });
    const owner = driver.rpc({ poolSize: 1 });
    const other = driver.rpc({ poolSize: 1 });
    await owner.call('create_table', notes);
    await other.call('ping');
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    const stopping = driver.stop();
    // Connected clients are still answered, but new work is refused.
    await waitFor(async () => (await rejectionOf(other.call('list_tables'))).is('SHUTTING_DOWN'), { message: 'new work to be refused' });
    expect(await isSettled(stopping)).toBe(false);
    await owner.call('insert', { table_name: 'notes', data: { body: 'finished during drain' }, transaction_id });
    await owner.call('commit_transaction', { transaction_id });
    await stopping;
    const again = await startInProcessDriver({ dir: driver.dir });
    expect((await again.client().select('notes')).data).toEqual([{ body: 'finished during drain' }]);
  });

  it('after the drain timeout refuses what still waits and rolls back what is open', async () => {
    const driver = await startInProcessDriver({ settings: { drainTimeoutMs: 100 } });
    const owner = driver.rpc({ poolSize: 1 });
    const waiting = driver.rpc({ poolSize: 1 });
    await owner.call('create_table', notes);
    await owner.call('insert', { table_name: 'notes', data: { body: 'committed' } });
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    await owner.call('insert', { table_name: 'notes', data: { body: 'rolled back' }, transaction_id });
    const queued = waiting.call('insert', { table_name: 'notes', data: { body: 'never run' } });
    await waitFor(async () => (await owner.call<Stats>('stats')).queue.depth.total === 1, { message: 'a queued write' });
    const refusal = rejectionOf(queued);
    await driver.stop();
    const refused = await refusal;
    expect(refused.code).toBe(ErrorCode.SHUTTING_DOWN);
    expect(refused.message).toContain('not executed');
    const again = await startInProcessDriver({ dir: driver.dir });
    expect((await again.client().select('notes')).data).toEqual([{ body: 'committed' }]);
  });

  it('a transaction whose connection closes while its request waits is rolled back after it', async () => {
    const driver = await startInProcessDriver();
    const blocker = driver.rpc({ poolSize: 1 });
    const owner = driver.rpc({ poolSize: 1 });
    const observer = driver.rpc({ poolSize: 1 });
    await observer.call('create_table', notes);
    const first = await blocker.call<{ transaction_id: string }>('begin_transaction');
    // The owner's begin waits behind the blocker's transaction; then its connection closes.
    const begun = owner.call('begin_transaction');
    await waitFor(async () => (await observer.call<Stats>('stats')).queue.depth.total === 1, { message: 'the queued begin' });
    owner.close();
    await expect(begun).rejects.toMatchObject({ codeName: 'CONNECTION_ERROR' });
    await blocker.call('commit_transaction', { transaction_id: first.transaction_id });
    // The begin ran for a connection that is gone: its transaction is rolled back at once.
    await waitFor(async () => (await observer.call<Stats>('stats')).open_transactions === 0, { message: 'no transaction left open' });
    await observer.call('insert', { table_name: 'notes', data: { body: 'writer is free' } });
    expect((await observer.call<{ data: unknown[] }>('select', { table_name: 'notes' })).data).toHaveLength(1);
  });

  it('a second driver on a socket a live driver answers on is refused, naming its pid', async () => {
    const first = await startInProcessDriver();
    const second = runDriverProcess(nodeRuntime, createLogger(nodeRuntime, { level: 'silent' }), {
      database: `${first.dir}/other.db`,
      socketPath: first.socketPath,
      pidFile: `${first.dir}/other.pid`,
      version: 'test',
      shutdown: new Promise(() => undefined),
    });
    await expect(second).rejects.toThrow(`already running, pid ${process.pid}`);
    expect((await first.client().ping()).pong).toBe(true);
  });
});
