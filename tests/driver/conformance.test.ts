import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseClient } from '../../src/db/database-client.ts';
import { ErrorCode } from '../../src/ipc/errors.ts';
import { CONFORMANCE_TARGETS, type ConformanceHandle } from '../helpers/conformance-targets.ts';
import { rejectionOf } from '../helpers/rpc-error.ts';

/**
 * Every driver method of DESIGN §4, one set of test bodies run against each target: the
 * real `code-analysis driver` child process, the same code in-process (for coverage), the
 * child process on PostgreSQL, and PostgreSQL in_process (no socket). What differs by engine comes from the target's traits.
 */

const people = {
  name: 'people',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'name', type: 'TEXT', not_null: true },
    { name: 'age', type: 'INT' },
    { name: 'score', type: 'real' },
    { name: 'active', type: 'boolean', default: true },
    { name: 'meta', type: 'json' },
    { name: 'born', type: 'timestamp' },
    { name: 'photo', type: 'blob' },
    { name: 'big', type: 'bigint' },
  ],
  indexes: [{ name: 'people_name', columns: ['name'], unique: true }],
};

describe.each(CONFORMANCE_TARGETS)('driver methods against the %s', (_label, start, traits) => {
  let driver: ConformanceHandle;
  let db: DatabaseClient;

  beforeAll(async () => {
    driver = await start();
    db = driver.client();
    await db.createTable(people);
    await db.insertMany('people', [
      { name: 'ada', age: 36, score: 9.5, active: true, meta: { langs: ['en'] }, born: '1815-12-10T00:00:00Z' },
      { name: 'bob', age: 25, score: 7.25, active: false, meta: null },
      { name: 'cy', age: null, score: 5 },
      { name: 'dee', age: 41, score: 8, meta: [1, 2, 3] },
    ]);
  });

  it('ping answers with the driver name, version and uptime', async () => {
    const pong = await db.ping();
    expect(pong).toMatchObject({ pong: true, driver: traits.driver });
    expect(pong.uptime_ms).toBeGreaterThanOrEqual(0);
    expect(pong.pid).toBeGreaterThan(0);
  });

  it('hello names the connection in the statistics', async () => {
    const rpc = driver.rpc({ poolSize: 1 });
    const { session_id } = await rpc.call<{ session_id: string }>('hello', { client: 'conformance-suite', priority: 'high' });
    expect(session_id).toMatch(/^s-/);
    await rpc.call('list_tables');
    const stats = await rpc.call<{ queue: { clients: Record<string, { done: number }> } }>('stats');
    expect(stats.queue.clients['conformance-suite']?.done).toBeGreaterThanOrEqual(1);
  });

  it('create_table is idempotent and list_tables / get_table_info describe the table', async () => {
    expect(await db.createTable(people)).toEqual({ success: true, created: false });
    expect((await db.listTables()).tables).toContain('people');
    const { info } = await db.getTableInfo('people');
    expect(info.map((column) => [column.name, column.type])).toEqual([
      ['id', 'integer'],
      ['name', 'text'],
      ['age', 'integer'],
      ['score', 'real'],
      ['active', 'boolean'],
      ['meta', 'json'],
      ['born', 'timestamp'],
      ['photo', 'blob'],
      ['big', 'integer'],
    ]);
    expect(info.find((column) => column.name === 'id')).toMatchObject({ primary_key: true, nullable: false });
    expect(info.find((column) => column.name === 'name')).toMatchObject({ nullable: false, primary_key: false });
    expect(info.find((column) => column.name === 'active')?.default).toBe(traits.booleanTrueDefault);
  });

  it('insert returns the row id and every type round-trips in its documented encoding', async () => {
    const { row_id } = await db.insert('people', {
      name: 'eve',
      age: 30,
      score: 1.5,
      active: false,
      meta: { nested: { deep: [true, null, 'x'] } },
      born: '2001-02-03 04:05:06',
      photo: { $blob: 'AAEC/w==' },
      big: { $bigint: '9007199254740993' },
    });
    expect(typeof row_id).toBe('number');
    const { data } = await db.select('people', { where: { id: row_id as number } });
    expect(data).toEqual([
      {
        id: row_id,
        name: 'eve',
        age: 30,
        score: 1.5,
        active: false,
        meta: { nested: { deep: [true, null, 'x'] } },
        born: '2001-02-03T04:05:06.000Z',
        photo: { $blob: 'AAEC/w==' },
        big: { $bigint: '9007199254740993' },
      },
    ]);
  });

  it('insert_many inserts every row and returns their ids', async () => {
    const result = await db.insertMany('people', [{ name: 'f1' }, { name: 'f2', age: 2 }, { name: 'f3', active: false }]);
    expect(result.inserted).toBe(3);
    expect(result.row_ids).toHaveLength(3);
    const [a, b, c] = result.row_ids as number[];
    expect(b).toBe(a! + 1);
    expect(c).toBe(a! + 2);
    const { data } = await db.select('people', { where: { id: { in: result.row_ids } }, order_by: ['id'], columns: ['name', 'active'] });
    expect(data).toEqual([
      { name: 'f1', active: true },
      { name: 'f2', active: true },
      { name: 'f3', active: false },
    ]);
  });

  it('insert_many is all-or-nothing', async () => {
    const error = await rejectionOf(db.insertMany('people', [{ name: 'g1' }, { name: 'g2' }, { name: 'g1' }]));
    expect(error.code).toBe(ErrorCode.DATABASE_ERROR);
    expect(error.data?.database_code).toBe(traits.codes.unique);
    expect((await db.select('people', { where: { name: { in: ['g1', 'g2'] } } })).data).toEqual([]);
  });

  it('insert_many refuses a bad value deep in a long call, naming its row and column, and stores nothing of the call', async () => {
    // Runs of different columns (the writer binds each run with its own statement), the bad value in the last one.
    const rows: Array<Record<string, unknown>> = Array.from({ length: 10_000 }, (_, i) => (i < 5_000 ? { name: `h${i}` } : { age: i, name: `h${i}` }));
    rows[9_000] = { age: 'ninety', name: 'h9000' };
    const error = await rejectionOf(db.insertMany('people', rows));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.data?.field).toBe('rows[9000].age');
    expect(error.message).toContain('rows[9000].age');
    expect((await db.select('people', { where: { name: { like: 'h%' } } })).data).toEqual([]);

    const mixed = await db.insertMany('people', [{ name: 'm1' }, { age: 2, name: 'm2' }, { name: 'm3', age: 3 }, { name: 'm4', age: 4 }]);
    const { data } = await db.select('people', { where: { id: { in: mixed.row_ids } }, order_by: ['id'], columns: ['name', 'age'] });
    expect(data).toEqual([
      { name: 'm1', age: null },
      { name: 'm2', age: 2 },
      { name: 'm3', age: 3 },
      { name: 'm4', age: 4 },
    ]);
  });

  it('select supports every where operator, columns, order_by, limit and offset', async () => {
    const names = async (where: Record<string, unknown>) =>
      (await db.select<{ name: string }>('people', { where, columns: ['name'], order_by: ['name ASC'] })).data.map((row) => row.name);
    expect(await names({ age: 36 })).toEqual(['ada']);
    expect(await names({ age: null, name: { like: 'c%' } })).toEqual(['cy']);
    expect(await names({ age: { eq: 25 } })).toEqual(['bob']);
    expect(await names({ age: { ne: 25 }, name: { in: ['ada', 'bob', 'dee'] } })).toEqual(['ada', 'dee']);
    expect(await names({ age: { gt: 30, lt: 41 } })).toEqual(['ada']);
    expect(await names({ age: { gte: 36, lte: 41 } })).toEqual(['ada', 'dee']);
    expect(await names({ name: { nin: ['ada', 'bob'] }, age: { is_null: false }, score: { gte: 8 } })).toEqual(['dee']);
    expect(await names({ age: { is_null: true }, name: { like: 'c%' } })).toEqual(['cy']);
    expect(await names({ name: { in: [] } })).toEqual([]);
    // A null in the list stands for IS NULL (plain SQL would never match it).
    expect(await names({ age: { in: [25, null] }, name: { in: ['ada', 'bob', 'cy'] } })).toEqual(['bob', 'cy']);
    expect(await names({ age: { nin: [25, null] }, name: { in: ['ada', 'bob', 'cy'] } })).toEqual(['ada']);
    expect(await names({ age: { in: [null] }, name: { like: 'c%' } })).toEqual(['cy']);
    expect(await names({ active: false, name: { in: ['bob', 'ada'] } })).toEqual(['bob']);
    expect(await names({ age: { ne: null }, name: { in: ['cy', 'dee'] } })).toEqual(['dee']);
    const page = await db.select('people', { columns: ['name'], order_by: ['score DESC', 'name'], limit: 2, offset: 1 });
    expect(page.data).toEqual([{ name: 'dee' }, { name: 'bob' }]);
    const skipOnly = await db.select('people', { columns: ['name'], where: { name: { in: ['ada', 'bob', 'cy'] } }, order_by: ['name'], offset: 2 });
    expect(skipOnly.data).toEqual([{ name: 'cy' }]);
  });

  it('update and delete report the affected rows', async () => {
    await db.insertMany('people', [{ name: 'u1', age: 1 }, { name: 'u2', age: 2 }, { name: 'u3', age: 3 }]);
    expect(await db.update('people', { name: { like: 'u%' }, age: { gte: 2 } }, { score: 0.5, meta: { updated: true } })).toEqual({
      affected_rows: 2,
    });
    const { data } = await db.select('people', { where: { name: { like: 'u%' } }, columns: ['name', 'score', 'meta'], order_by: ['name'] });
    expect(data).toEqual([
      { name: 'u1', score: null, meta: null },
      { name: 'u2', score: 0.5, meta: { updated: true } },
      { name: 'u3', score: 0.5, meta: { updated: true } },
    ]);
    expect(await db.delete('people', { name: { in: ['u1', 'u2', 'u3'] } })).toEqual({ affected_rows: 3 });
    expect(await db.delete('people', { name: 'nobody' })).toEqual({ affected_rows: 0 });
  });

  it('execute runs raw SQL with positional or named params', async () => {
    const counted = await db.execute('SELECT count(*) AS n FROM people WHERE age > ?', [30]);
    expect(counted.data).toEqual([{ n: 2 }]);
    expect(counted.affected_rows).toBe(0);
    const named = await db.execute('SELECT name FROM people WHERE name = :name', { name: 'ada' });
    expect(named.data).toEqual([{ name: 'ada' }]);
    await db.execute(`CREATE TABLE raw_notes (id ${traits.autoKeySql}, body TEXT, flag BOOLEAN)`);
    const inserted = await db.execute('INSERT INTO raw_notes (body, flag) VALUES (?, ?), (?, ?)', ['a', true, 'b', { $bigint: '1' }]);
    expect(inserted).toMatchObject({ affected_rows: 2, last_row_id: 2 });
    expect(inserted.data).toBeUndefined();
    const returning = await db.execute("UPDATE raw_notes SET body = 'z' WHERE id = 1 RETURNING id, body");
    expect(returning).toMatchObject({ data: [{ id: 1, body: 'z' }], affected_rows: 1 });
    expect((await db.listTables()).tables).toContain('raw_notes');
    expect((await db.select('raw_notes', { order_by: ['id'] })).data).toEqual([
      { id: 1, body: 'z', flag: true },
      { id: 2, body: 'b', flag: true },
    ]);
  });

  it('batch applies every operation or none', async () => {
    await db.createTable({ name: 'ledger', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'amount', type: 'integer', not_null: true }] });
    const ok = await db.batch([
      { method: 'insert', params: { table_name: 'ledger', data: { amount: 10 } } },
      { method: 'insert_many', params: { table_name: 'ledger', rows: [{ amount: 20 }, { amount: 30 }] } },
      { method: 'update', params: { table_name: 'ledger', where: { amount: 30 }, data: { amount: 31 } } },
      { method: 'select', params: { table_name: 'ledger', columns: ['amount'], order_by: ['amount'] } },
      { method: 'execute', params: { sql: 'SELECT sum(amount) AS total FROM ledger' } },
      { method: 'delete', params: { table_name: 'ledger', where: { amount: 10 } } },
    ]);
    expect(ok.results).toEqual([
      { row_id: 1 },
      { inserted: 2, row_ids: [2, 3] },
      { affected_rows: 1 },
      { data: [{ amount: 10 }, { amount: 20 }, { amount: 31 }] },
      { data: [{ total: 61 }], affected_rows: 0, last_row_id: traits.lastRowIdWithoutInsert(3) },
      { affected_rows: 1 },
    ]);
    const failed = await rejectionOf(
      db.batch([
        { method: 'insert', params: { table_name: 'ledger', data: { amount: 1 } } },
        { method: 'insert', params: { table_name: 'ledger', data: { amount: null } } },
      ]),
    );
    expect(failed.code).toBe(ErrorCode.DATABASE_ERROR);
    expect(failed.message).toMatch(/^operations\[1\] \(insert\)/);
    expect(failed.data).toMatchObject({ index: 1, database_code: traits.codes.notNull });
    expect((await db.select('ledger', { where: { amount: 1 } })).data).toEqual([]);
  });

  it('begin / commit / rollback through the transaction helper', async () => {
    await db.createTable({ name: 'tx_items', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] });
    const committed = await db.transaction(async (tx) => {
      await tx.insert('tx_items', { label: 'kept' });
      await tx.update('tx_items', { label: 'kept' }, { label: 'kept!' });
      return (await tx.select('tx_items')).data.length;
    });
    expect(committed).toBe(1);
    await expect(
      db.transaction(async (tx) => {
        await tx.insert('tx_items', { label: 'discarded' });
        await tx.delete('tx_items', { label: 'kept!' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.select('tx_items', { columns: ['label'] })).data).toEqual([{ label: 'kept!' }]);
    const rpc = driver.rpc({ poolSize: 1 });
    const { transaction_id } = await rpc.call<{ transaction_id: string }>('begin_transaction', { timeout_ms: 5000 });
    await rpc.call('insert', { table_name: 'tx_items', data: { label: 'raw' }, transaction_id });
    expect(await rpc.call('rollback_transaction', { transaction_id })).toEqual({ success: true });
    const gone = await rejectionOf(rpc.call('commit_transaction', { transaction_id }));
    expect(gone.code).toBe(ErrorCode.TRANSACTION_ERROR);
    expect(gone.message).toContain('was rolled back');
  });

  it('sync_schema creates, adds columns, dry-runs and records the version', async () => {
    expect(await db.getSchemaVersion()).toEqual({ version: null });
    const v1 = {
      version: '1',
      tables: [
        { name: 'projects', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'root', type: 'text', not_null: true }] },
        {
          name: 'files',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: 'project_id', type: 'integer', not_null: true, references: { table: 'projects', column: 'id', on_delete: 'cascade' } },
            { name: 'path', type: 'text', nullable: false },
          ],
          indexes: [{ name: 'files_project_path', columns: ['project_id', 'path'], unique: true }],
        },
      ],
    };
    const first = await db.syncSchema(v1);
    expect(first).toMatchObject({ created_tables: ['projects', 'files'], created_indexes: ['files_project_path'], version: '1', previous_version: null });
    expect(await db.getSchemaVersion()).toEqual({ version: '1' });
    const v2 = structuredClone(v1);
    v2.version = '2';
    v2.tables[1]!.columns.push({ name: 'size', type: 'integer', default: 0 } as never);
    const dry = await db.syncSchema(v2, { dry_run: true });
    expect(dry).toMatchObject({ dry_run: true, altered_tables: [{ table: 'files', added_columns: ['size'] }] });
    expect((await db.getTableInfo('files')).info.map((c) => c.name)).not.toContain('size');
    expect(await db.getSchemaVersion()).toEqual({ version: '1' });
    const applied = await db.syncSchema(v2);
    expect(applied).toMatchObject({ dry_run: false, previous_version: '1', created_tables: [], altered_tables: [{ table: 'files', added_columns: ['size'] }] });
    expect((await db.getTableInfo('files')).info.map((c) => c.name)).toContain('size');
    expect(await db.getSchemaVersion()).toEqual({ version: '2' });
    expect((await db.listTables()).tables).not.toContain('_code_analysis_meta');
    // foreign keys are enforced
    const orphan = await rejectionOf(db.insert('files', { project_id: 999, path: 'x' }));
    expect(orphan.data?.database_code).toBe(traits.codes.foreignKey);
  });

  it('drop_table drops, refuses an unknown table, and tolerates it with if_exists', async () => {
    await db.createTable({ name: 'scratch', columns: [{ name: 'x', type: 'text' }] });
    expect(await db.dropTable('scratch')).toEqual({ success: true, dropped: true });
    const missing = await rejectionOf(db.dropTable('scratch'));
    expect(missing.code).toBe(ErrorCode.NOT_FOUND);
    expect(missing.message).toContain('scratch');
    expect(await db.dropTable('scratch', true)).toEqual({ success: true, dropped: false });
  });

  it('stats reports queue and driver statistics', async () => {
    const stats = (await db.stats()) as {
      queue: { done: number; depth: { total: number }; wait_ms: { p50: number }; exec_ms: { count: number } };
      driver: { library: string; synchronous: string; group_commit: boolean };
    };
    expect(stats.queue.done).toBeGreaterThan(10);
    expect(stats.queue.depth.total).toBe(0);
    expect(stats.queue.exec_ms.count).toBeGreaterThan(0);
    expect(stats.driver).toMatchObject(traits.driverStats);
  });
});
