import assert from 'node:assert/strict';
import type { DatabaseClient } from '../../src/db/database-client.ts';
import { RpcError } from '../../src/ipc/errors.ts';

/**
 * A smoke test of every driver method through the DatabaseClient. Plain node:assert and
 * no test-runner imports, so vitest (Node) and `deno test` run the very same spec.
 */
export async function driverSmokeSpec(db: DatabaseClient, expectedLibrary: string): Promise<void> {
  const pong = await db.ping();
  assert.equal(pong.pong, true);
  assert.equal(pong.driver, 'sqlite');
  assert.match((await db.hello('smoke')).session_id, /^s-/);

  assert.deepEqual(
    await db.createTable({
      name: 'smoke',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'name', type: 'text', not_null: true },
        { name: 'big', type: 'integer' },
        { name: 'doc', type: 'json' },
        { name: 'raw', type: 'blob' },
        { name: 'flag', type: 'boolean' },
        { name: 'at', type: 'timestamp' },
      ],
      indexes: [{ name: 'smoke_name', columns: ['name'], unique: true }],
    }),
    { success: true, created: true },
  );
  assert.deepEqual((await db.listTables()).tables, ['smoke']);
  assert.deepEqual(
    (await db.getTableInfo('smoke')).info.map((column) => column.type),
    ['integer', 'text', 'integer', 'json', 'blob', 'boolean', 'timestamp'],
  );

  const { row_id } = await db.insert('smoke', {
    name: 'one',
    big: { $bigint: '9223372036854775807' },
    doc: { a: [1, { b: null }] },
    raw: { $blob: 'AP8=' },
    flag: true,
    at: '2024-05-01T12:00:00+02:00',
  });
  assert.equal(row_id, 1);
  assert.deepEqual(await db.insertMany('smoke', [{ name: 'two', big: 2 }, { name: 'three', big: 3 }]), { inserted: 2, row_ids: [2, 3] });
  assert.deepEqual((await db.select('smoke', { where: { id: 1 } })).data, [
    {
      id: 1,
      name: 'one',
      big: { $bigint: '9223372036854775807' },
      doc: { a: [1, { b: null }] },
      raw: { $blob: 'AP8=' },
      flag: true,
      at: '2024-05-01T10:00:00.000Z',
    },
  ]);
  assert.deepEqual(await db.update('smoke', { big: { in: [2, 3] } }, { flag: false }), { affected_rows: 2 });
  assert.deepEqual(
    (await db.select('smoke', { where: { flag: false }, columns: ['name'], order_by: ['big DESC'], limit: 1 })).data,
    [{ name: 'three' }],
  );
  assert.deepEqual(await db.delete('smoke', { name: 'three' }), { affected_rows: 1 });
  assert.deepEqual((await db.execute('SELECT count(*) AS n FROM smoke WHERE name LIKE ?', ['t%'])).data, [{ n: 1 }]);
  assert.deepEqual((await db.batch([{ method: 'insert', params: { table_name: 'smoke', data: { name: 'four' } } }])).results, [{ row_id: 3 }]);

  await db.transaction(async (tx) => {
    await tx.insert('smoke', { name: 'five' });
  });
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.insert('smoke', { name: 'six' });
      throw new Error('roll back');
    }),
    /roll back/,
  );
  assert.deepEqual((await db.select('smoke', { where: { name: { in: ['five', 'six'] } }, columns: ['name'] })).data, [{ name: 'five' }]);
  const { transaction_id } = await db.beginTransaction();
  assert.deepEqual(await db.rollbackTransaction(transaction_id), { success: true });

  await assert.rejects(db.select('nowhere'), (error: unknown) => error instanceof RpcError && error.codeName === 'NOT_FOUND');
  await assert.rejects(db.insert('smoke', { name: 'one' }), (error: unknown) => error instanceof RpcError && error.data?.database_code === 'SQLITE_CONSTRAINT_UNIQUE');

  const report = await db.syncSchema({
    version: '7',
    tables: [{ name: 'extra', columns: [{ name: 'id', type: 'integer', primary_key: true }] }],
  });
  assert.deepEqual(report.created_tables, ['extra']);
  assert.deepEqual(await db.getSchemaVersion(), { version: '7' });
  assert.deepEqual(await db.dropTable('extra'), { success: true, dropped: true });

  const stats = (await db.stats()) as { driver: { library: string }; queue: { done: number } };
  assert.equal(stats.driver.library, expectedLibrary);
  assert.ok(stats.queue.done > 10);
}
