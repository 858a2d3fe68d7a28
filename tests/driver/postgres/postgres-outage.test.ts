import { beforeAll, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import type { PostgresDriver } from '../../../src/driver/postgres/postgres-driver.ts';
import type { RpcClient } from '../../../src/ipc/rpc-client.ts';
import { type ChildDriver, startPostgresDriverProcess } from '../../helpers/driver.ts';
import { openPostgresDriver, type PostgresServer, startPostgres } from '../../helpers/postgres.ts';
import { describeWithPostgres } from '../../helpers/postgres-suite.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const p = <T>(value: unknown) => value as T;
const items = { schema: { name: 'items', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] } };

describeWithPostgres('PostgreSQL: concurrent transactions, and the server going away and coming back', () => {
  let server: PostgresServer;
  let child: ChildDriver;
  let observer: RpcClient;
  let driver: PostgresDriver;

  beforeAll(async () => {
    server = await startPostgres();
    child = await startPostgresDriverProcess();
    observer = child.rpc({ poolSize: 1, timeoutMs: 20_000 });
    await observer.call('create_table', items);
    ({ driver } = await openPostgresDriver());
    await driver.createTable(p({ schema: { ...items.schema, indexes: [] } }));
  });

  it('two transactions on different connections both insert before either commits', async () => {
    const one = child.rpc({ poolSize: 1 });
    const two = child.rpc({ poolSize: 1 });
    const { transaction_id: first } = await one.call<{ transaction_id: string }>('begin_transaction');
    const { transaction_id: second } = await two.call<{ transaction_id: string }>('begin_transaction');
    await one.call('insert', { table_name: 'items', data: { label: 'one' }, transaction_id: first });
    await two.call('insert', { table_name: 'items', data: { label: 'two' }, transaction_id: second });
    const stats = await observer.call<{ open_transactions: number; driver: { open_transactions: number } }>('stats');
    expect(stats).toMatchObject({ open_transactions: 2, driver: { open_transactions: 2 } });
    expect((await observer.call<{ data: unknown[] }>('select', { table_name: 'items' })).data).toEqual([]);
    await two.call('commit_transaction', { transaction_id: second });
    await one.call('commit_transaction', { transaction_id: first });
    const { data } = await observer.call<{ data: Array<{ label: string }> }>('select', { table_name: 'items', columns: ['label'], order_by: ['label'] });
    expect(data).toEqual([{ label: 'one' }, { label: 'two' }]);
  });

  it('PostgreSQL stopped: calls fail with CONNECTION_ERROR (not a timeout); once it is back the same drivers answer', async () => {
    const open = await driver.beginTransaction();
    await driver.insert(p({ table_name: 'items', data: { label: 'lost with the server' }, transaction_id: open }));
    await server.kill();

    const inProcess = await rejectionOf(driver.select(p({ table_name: 'items' })));
    expect(inProcess.code).toBe(ErrorCode.CONNECTION_ERROR);
    expect(inProcess.data?.database_code).toBeTypeOf('string');
    const viaSocket = await rejectionOf(observer.call('insert', { table_name: 'items', data: { label: 'refused' } }));
    expect(viaSocket.code).toBe(ErrorCode.CONNECTION_ERROR);
    expect(await rejectionOf(driver.beginTransaction())).toMatchObject({ code: ErrorCode.CONNECTION_ERROR });
    // The driver process itself stays up and says so.
    expect(await observer.call('ping')).toMatchObject({ pong: true, driver: 'postgres' });

    await server.restart();
    await waitFor(async () => (await observer.call<{ data: unknown[] }>('select', { table_name: 'items' })).data.length === 2, {
      message: 'the driver child to answer again',
    });
    // Its own database: the one row it wrote was in the transaction the outage rolled back.
    await waitFor(async () => (await driver.select(p({ table_name: 'items' }))).data.length === 0, { message: 'the in-process driver to answer again' });
    // The transaction died with its connection: its commit says it was rolled back.
    expect(await rejectionOf(driver.commitTransaction(open))).toMatchObject({ code: ErrorCode.TRANSACTION_ERROR, data: { transaction_id: open } });
    // An immediate shutdown skips sequence values PostgreSQL had logged ahead: any new id will do.
    const { row_id } = await observer.call<{ row_id: number }>('insert', { table_name: 'items', data: { label: 'after' } });
    expect((await observer.call<{ data: unknown[] }>('select', { table_name: 'items', where: { id: row_id }, columns: ['label'] })).data).toEqual([{ label: 'after' }]);
    const again = await driver.beginTransaction();
    await driver.rollbackTransaction(again);
  });
});
