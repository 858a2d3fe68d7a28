import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseClient } from '../../../src/db/database-client.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import type { RpcClient } from '../../../src/ipc/rpc-client.ts';
import { DRIVER_TARGETS, type DriverHandle } from '../../helpers/driver.ts';
import { RawSocket } from '../../helpers/raw-socket.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';

type WireError = { code: number; message: string; data?: Record<string, unknown> };

const SMUGGLED = ['users; DROP TABLE victims', 'victims" --', 'a b', "x'); DELETE FROM victims; --", '1abc', ''];

describe.each(DRIVER_TARGETS)('bad input to the %s', (_label, start) => {
  let driver: DriverHandle;
  let db: DatabaseClient;
  let rpc: RpcClient;

  const refused = (method: string, params: unknown) => rejectionOf(rpc.call(method, params as Record<string, unknown>));

  /** The victim table is untouched and the driver still answers. */
  async function intact(): Promise<void> {
    expect((await db.listTables()).tables).toContain('victims');
    expect((await db.select('victims', { order_by: ['id'] })).data).toEqual([
      { id: 1, name: 'first', n: 1, flag: true },
      { id: 2, name: 'second', n: 2, flag: false },
    ]);
    expect(await db.ping()).toMatchObject({ pong: true });
  }

  beforeAll(async () => {
    driver = await start();
    db = driver.client();
    rpc = driver.rpc({ poolSize: 1 });
    await db.createTable({
      name: 'victims',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'name', type: 'text' },
        { name: 'n', type: 'integer' },
        { name: 'flag', type: 'boolean' },
      ],
    });
    await db.insertMany('victims', [
      { name: 'first', n: 1, flag: true },
      { name: 'second', n: 2, flag: false },
    ]);
  });

  it('invalid JSON gets INVALID_REQUEST and the connection keeps working', async () => {
    const raw = await RawSocket.connect(driver.socketPath);
    raw.sendBody('{"jsonrpc": "2.0", "id": 1, "method": "ping"');
    raw.sendBody('\u0000\u0001 not json at all');
    raw.sendBytes(new Uint8Array([0, 0, 0, 2, 0xff, 0xfe]));
    for (let n = 1; n <= 3; n++) {
      const response = await raw.response(n);
      expect(response.id).toBeNull();
      expect((response.error as WireError).code).toBe(ErrorCode.INVALID_REQUEST);
      expect((response.error as WireError).message).toMatch(/invalid JSON/);
    }
    raw.request(2, 'ping');
    expect((await raw.responseTo(2)).result).toMatchObject({ pong: true });
    await intact();
  });

  it('a frame announcing 4 GiB is answered and closed without hurting other connections', async () => {
    const bystander = await RawSocket.connect(driver.socketPath);
    const raw = await RawSocket.connect(driver.socketPath);
    raw.sendBytes(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x7b]));
    const response = await raw.response(1);
    expect(response.id).toBeNull();
    expect(response.error).toMatchObject({ code: ErrorCode.INVALID_REQUEST, data: { announced_bytes: 4294967295 } });
    await waitFor(() => raw.closed, { message: 'the server to close the offending connection' });
    bystander.request('still-here', 'ping');
    expect((await bystander.responseTo('still-here')).result).toMatchObject({ pong: true });
    await intact();
  });

  it('malformed envelopes: wrong version, missing method, bad id, non-object params, unknown method', async () => {
    const raw = await RawSocket.connect(driver.socketPath);
    const cases: Array<[unknown, string]> = [
      [{ jsonrpc: '1.0', id: 1, method: 'ping' }, 'jsonrpc'],
      [{ jsonrpc: '2.0', id: 2 }, 'method'],
      [{ jsonrpc: '2.0', id: { no: 1 }, method: 'ping' }, 'id'],
      [{ jsonrpc: '2.0', id: 4, method: 'select', params: ['victims'] }, 'params'],
      [{ jsonrpc: '2.0', id: 5, method: 'select', params: 'victims' }, 'params'],
      [{ jsonrpc: '2.0', id: 6, method: 'select', params: 42 }, 'params'],
      [{ jsonrpc: '2.0', id: 7, method: 'select', params: null }, 'params'],
      [{ jsonrpc: '2.0', id: 8, method: 'ping', priority: 'urgent' }, 'priority'],
      [['not', 'an', 'object'], 'object'],
    ];
    for (const [message] of cases) raw.send(message);
    for (let n = 1; n <= cases.length; n++) {
      const response = await raw.response(n);
      const error = response.error as WireError;
      expect(error.code).toBe(ErrorCode.INVALID_REQUEST);
      expect(error.message).toContain(cases[n - 1]![1]);
    }
    // An id we could read is echoed even on a malformed request.
    expect(raw.responses[3]!.id).toBe(4);
    raw.request(9, 'no_such_method', {});
    const unknown = (await raw.responseTo(9)).error as WireError;
    expect(unknown).toMatchObject({ code: ErrorCode.INVALID_REQUEST, data: { method: 'no_such_method' } });
    await intact();
  });

  it('unknown tables are NOT_FOUND and unknown columns VALIDATION_ERROR, naming them', async () => {
    for (const [method, params] of [
      ['select', { table_name: 'ghosts' }],
      ['insert', { table_name: 'ghosts', data: { a: 1 } }],
      ['update', { table_name: 'ghosts', where: { a: 1 }, data: { a: 2 } }],
      ['delete', { table_name: 'ghosts', where: { a: 1 } }],
      ['get_table_info', { table_name: 'ghosts' }],
      ['drop_table', { table_name: 'ghosts' }],
    ] as const) {
      const error = await refused(method, params);
      expect(error.code).toBe(ErrorCode.NOT_FOUND);
      expect(error.message).toContain('ghosts');
    }
    for (const [params, field] of [
      [{ table_name: 'victims', where: { nope: 1 } }, 'where.nope'],
      [{ table_name: 'victims', columns: ['id', 'nope'] }, 'columns[1]'],
      [{ table_name: 'victims', order_by: ['nope DESC'] }, 'order_by[0]'],
    ] as const) {
      const error = await refused('select', params);
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.data?.field).toBe(field);
      expect(error.message).toContain('nope');
    }
    const insert = await refused('insert', { table_name: 'victims', data: { nope: 1 } });
    expect(insert).toMatchObject({ code: ErrorCode.VALIDATION_ERROR, data: { field: 'data.nope' } });
    const misspelt = await refused('select', { tabel_name: 'victims' });
    expect(misspelt.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(misspelt.message).toContain('tabel_name');
    await intact();
  });

  it('SQL smuggled into any identifier position is refused and changes nothing', async () => {
    for (const name of SMUGGLED) {
      const attempts: Array<[string, unknown]> = [
        ['select', { table_name: name }],
        ['select', { table_name: 'victims', where: { [name]: 1 } }],
        ['select', { table_name: 'victims', columns: [name] }],
        ['select', { table_name: 'victims', order_by: [name] }],
        ['select', { table_name: 'victims', order_by: [`id; ${name}`] }],
        ['drop_table', { table_name: name }],
        ['insert', { table_name: 'victims', data: { [name]: 1 } }],
        ['update', { table_name: 'victims', where: { id: 1 }, data: { [name]: 1 } }],
        ['delete', { table_name: 'victims', where: { [name]: 1 } }],
        ['get_table_info', { table_name: name }],
        ['create_table', { schema: { name, columns: [{ name: 'x', type: 'text' }] } }],
        ['create_table', { schema: { name: 'evil', columns: [{ name, type: 'text' }] } }],
        ['create_table', { schema: { name: 'evil', columns: [{ name: 'x', type: `text); DROP TABLE victims; --` }] } }],
        ['create_table', { schema: { name: 'evil', columns: [{ name: 'x', type: 'text' }], indexes: [{ name, columns: ['x'] }] } }],
      ];
      for (const [method, params] of attempts) {
        const error = await refused(method, params);
        expect(error.code, `${method} ${JSON.stringify(params)}`).toBe(ErrorCode.VALIDATION_ERROR);
      }
    }
    expect((await db.listTables()).tables).not.toContain('evil');
    // Values are bound, never spliced into SQL.
    const value = "x'); DROP TABLE victims; --";
    expect((await db.select('victims', { where: { name: value } })).data).toEqual([]);
    await intact();
  });

  it('update and delete without a where are refused', async () => {
    for (const [method, params] of [
      ['update', { table_name: 'victims', data: { n: 0 } }],
      ['update', { table_name: 'victims', where: {}, data: { n: 0 } }],
      ['delete', { table_name: 'victims' }],
      ['delete', { table_name: 'victims', where: {} }],
    ] as const) {
      const error = await refused(method, params);
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.message).toContain('where');
    }
    await intact();
  });

  it('wrong value types are refused naming the field and the expected type', async () => {
    for (const [data, field, expected] of [
      [{ name: 42 }, 'data.name', 'string'],
      [{ n: '12' }, 'data.n', 'integer'],
      [{ n: 1.5 }, 'data.n', 'integer'],
      [{ n: { $bigint: '12x' } }, 'data.n', '$bigint'],
      [{ flag: 'yes' }, 'data.flag', 'boolean'],
      [{ name: { nested: true } }, 'data.name', 'string'],
      [{ name: ['a'] }, 'data.name', 'string'],
    ] as const) {
      const error = await refused('insert', { table_name: 'victims', data });
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.data?.field).toBe(field);
      expect(error.message).toContain(expected);
    }
    const where = await refused('select', { table_name: 'victims', where: { n: { gt: 'ten' } } });
    expect(where).toMatchObject({ code: ErrorCode.VALIDATION_ERROR, data: { field: 'where.n.gt' } });
    const badOperator = await refused('select', { table_name: 'victims', where: { n: { between: [1, 2] } } });
    expect(badOperator.code).toBe(ErrorCode.VALIDATION_ERROR);
    const limit = await refused('select', { table_name: 'victims', limit: -1 });
    expect(limit).toMatchObject({ code: ErrorCode.VALIDATION_ERROR, data: { field: 'params.limit' } });
    await intact();
  });

  it('a request id reused by another connection at the same time: each is answered on its own connection', async () => {
    const owner = driver.rpc({ poolSize: 1 });
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    // The transaction writes row 2: another write to it waits (for the single writer on
    // SQLite, for the row lock on PostgreSQL).
    await owner.call('update', { table_name: 'victims', where: { id: 2 }, data: { n: 2 }, transaction_id });
    const first = await RawSocket.connect(driver.socketPath);
    const second = await RawSocket.connect(driver.socketPath);
    // first's request 7 waits behind the open transaction while second's request 7 is answered.
    first.request(7, 'update', { table_name: 'victims', where: { id: 2 }, data: { n: 2 } });
    second.request(7, 'select', { table_name: 'victims', where: { id: 1 }, columns: ['name'] });
    expect((await second.responseTo(7)).result).toEqual({ data: [{ name: 'first' }] });
    expect(first.responses).toEqual([]);
    await owner.call('commit_transaction', { transaction_id });
    expect((await first.responseTo(7)).result).toEqual({ affected_rows: 1 });
    expect(second.responses).toHaveLength(1);
    await intact();
  });
});
