import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/ipc/errors.ts';
import type { RpcCaller } from '../../src/ipc/rpc-client.ts';
import { startInProcessDriver } from '../helpers/driver.ts';
import { startTestServer, type TestServer } from './server-fixture.ts';

const TABLE = { name: 'notes', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'body', type: 'text' }] };

type Answer = Record<string, any>;

describe('POST /rpc', () => {
  let server: TestServer;
  let driver: RpcCaller;

  beforeAll(async () => {
    const handle = await startInProcessDriver();
    driver = handle.rpc();
    server = await startTestServer(driver);
    expect(await server.rpc('create_table', { schema: TABLE })).toMatchObject({ result: { success: true } });
  });

  const rows = async () => ((await server.rpc('select', { table_name: 'notes', order_by: ['id'] })) as Answer).result.data;

  it('round-trips an insert and a select, with priority and timeout_ms', async () => {
    const inserted = await server.rpc('insert', { table_name: 'notes', data: { id: 1, body: 'first' } }, { priority: 'high', timeout_ms: 5_000 });
    expect(inserted).toEqual({ jsonrpc: '2.0', id: expect.any(Number), result: { row_id: 1 } });
    const response = await server.post('/rpc', JSON.stringify({ jsonrpc: '2.0', id: 'sel-0', method: 'select', params: { table_name: 'notes' } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 'sel-0', result: { data: [{ id: 1, body: 'first' }] } });
    // The driver saw it too: the same row through the socket.
    expect(await driver.call('select', { table_name: 'notes' })).toEqual({ data: [{ id: 1, body: 'first' }] });
  });

  it('runs several operations atomically with the batch method', async () => {
    const failed = (await server.rpc('batch', {
      operations: [
        { method: 'insert', params: { table_name: 'notes', data: { id: 2, body: 'second' } } },
        { method: 'insert', params: { table_name: 'notes', data: { id: 1, body: 'duplicate' } } },
      ],
    })) as Answer;
    expect(failed.error.code).toBe(ErrorCode.DATABASE_ERROR);
    expect(await rows()).toEqual([{ id: 1, body: 'first' }]);
  });

  it('answers a body that is not JSON with 400 and a parse error', async () => {
    for (const body of ['{"jsonrpc": "2.0", "id": 1,', '', new Uint8Array([0x7b, 0xff, 0x7d])]) {
      const response = await server.post('/rpc', body);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as Answer;
      expect(answer).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: ErrorCode.INVALID_REQUEST } });
      expect(answer.error.message).toMatch(/^invalid JSON: /);
    }
  });

  it('refuses bad envelopes and bad params with the protocol codes, naming the field, and the data stays intact', async () => {
    const send = async (request: unknown) => {
      const response = await server.post('/rpc', JSON.stringify(request));
      expect(response.status).toBe(200);
      return (await response.json()) as Answer;
    };
    const cases: Array<[unknown, unknown, number, RegExp, string?]> = [
      [{ jsonrpc: '1.0', id: 7, method: 'ping' }, 7, ErrorCode.INVALID_REQUEST, /jsonrpc must be "2.0"/, 'jsonrpc'],
      [{ jsonrpc: '2.0', id: { x: 1 }, method: 'ping' }, null, ErrorCode.INVALID_REQUEST, /^id: /, 'id'],
      [{ jsonrpc: '2.0', id: 8, method: 'ping', priority: 'urgent' }, 8, ErrorCode.INVALID_REQUEST, /^priority: /, 'priority'],
      [42, null, ErrorCode.INVALID_REQUEST, /must be a JSON object/],
      [{ jsonrpc: '2.0', id: 9, method: 'drop_everything' }, 9, ErrorCode.INVALID_REQUEST, /unknown method "drop_everything"/],
      [{ jsonrpc: '2.0', id: 'proto', method: 'toString' }, 'proto', ErrorCode.INVALID_REQUEST, /unknown method "toString"/],
      [{ jsonrpc: '2.0', id: 10, method: 'select', params: [1] }, 10, ErrorCode.INVALID_REQUEST, /params must be an object/, 'params'],
      [{ jsonrpc: '2.0', id: 11, method: 'select', params: { table_name: 'notes', limit: 'ten' } }, 11, ErrorCode.VALIDATION_ERROR, /^params\.limit: /, 'params.limit'],
      [{ jsonrpc: '2.0', id: 12, method: 'insert', params: { table_name: 'notes; DROP TABLE notes; --', data: { body: 'x' } } }, 12, ErrorCode.VALIDATION_ERROR, /^params\.table_name: must be an identifier/, 'params.table_name'],
      [{ jsonrpc: '2.0', id: 13, method: 'delete', params: { table_name: 'notes', where: {} } }, 13, ErrorCode.VALIDATION_ERROR, /^params\.where: must not be empty/, 'params.where'],
      [{ jsonrpc: '2.0', id: 14, method: 'select', params: { table_name: 'missing' } }, 14, ErrorCode.NOT_FOUND, /missing/],
    ];
    for (const [request, id, code, message, field] of cases) {
      const answer = await send(request);
      const label = JSON.stringify(request);
      expect(answer, label).toMatchObject({ jsonrpc: '2.0', id, error: { code } });
      expect(answer.error.message, label).toMatch(message);
      if (field) expect(answer.error.data.field, label).toBe(field);
      expect(answer, label).not.toHaveProperty('result');
    }
    expect(await rows()).toEqual([{ id: 1, body: 'first' }]);
    expect(((await server.rpc('list_tables')) as Answer).result.tables).toContain('notes');
    expect((await server.get('/health')).status).toBe(200);
  });

  it('refuses a backup_dir chosen over HTTP: the server writes copies only into its own backup directory', async () => {
    const answer = (await server.rpc('sync_schema', { schema_definition: { version: '1', tables: [] }, backup_dir: '/etc' })) as Answer;
    expect(answer.error).toMatchObject({ code: ErrorCode.INVALID_REQUEST, data: { field: 'params.backup_dir' } });
    expect(await rows()).toEqual([{ id: 1, body: 'first' }]);
  });

  it('refuses transactions and hello, which belong to one driver connection, and points at batch', async () => {
    for (const method of ['begin_transaction', 'commit_transaction', 'rollback_transaction']) {
      const answer = (await server.rpc(method, method === 'begin_transaction' ? undefined : { transaction_id: 'tx-1' })) as Answer;
      expect(answer.error).toMatchObject({ code: ErrorCode.INVALID_REQUEST, data: { method } });
      expect(answer.error.message).toMatch(/not available over HTTP: transactions are bound to a driver connection.*"batch"/);
    }
    const withId = (await server.rpc('insert', { table_name: 'notes', data: { id: 3 }, transaction_id: 'tx-1' })) as Answer;
    expect(withId.error).toMatchObject({ code: ErrorCode.INVALID_REQUEST, data: { field: 'params.transaction_id' } });
    expect(withId.error.message).toMatch(/"batch"/);
    const hello = (await server.rpc('hello', { client: 'web', priority: 'low' })) as Answer;
    expect(hello.error).toMatchObject({ code: ErrorCode.INVALID_REQUEST, data: { method: 'hello' } });
    expect(await rows()).toEqual([{ id: 1, body: 'first' }]);
  });

  it('answers a JSON array as a JSON-RPC batch, each request on its own', async () => {
    const response = await server.post(
      '/rpc',
      JSON.stringify([
        { jsonrpc: '2.0', id: 'a', method: 'insert', params: { table_name: 'notes', data: { id: 4, body: 'fourth' } } },
        { jsonrpc: '2.0', id: 'b', method: 'nope' },
        'not a request',
        { jsonrpc: '2.0', id: 'c', method: 'ping' },
      ]),
    );
    expect(response.status).toBe(200);
    const answers = (await response.json()) as Answer[];
    expect(answers).toHaveLength(4);
    expect(answers[0]).toEqual({ jsonrpc: '2.0', id: 'a', result: { row_id: 4 } });
    expect(answers[1]).toMatchObject({ id: 'b', error: { code: ErrorCode.INVALID_REQUEST } });
    expect(answers[2]).toMatchObject({ id: null, error: { code: ErrorCode.INVALID_REQUEST } });
    expect(answers[3]).toMatchObject({ id: 'c', result: { pong: true } });

    for (const batch of [[], Array.from({ length: 1001 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' }))]) {
      const refused = (await (await server.post('/rpc', JSON.stringify(batch))).json()) as Answer;
      expect(refused).toMatchObject({ id: null, error: { code: ErrorCode.INVALID_REQUEST } });
      expect(refused.error.message).toMatch(/a batch must hold 1 to 1000 requests/);
    }
  });

  it('answers unknown routes with a JSON 404', async () => {
    for (const response of [await server.get('/nope'), await server.get('/rpc')]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});

describe('POST /rpc limits and failures', () => {
  it('answers a body over the limit with 413, whether its length is announced or not', async () => {
    const handle = await startInProcessDriver();
    const server = await startTestServer(handle.rpc(), { maxBodyBytes: 1024 });
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(2000) } });
    const announced = await server.post('/rpc', big);
    expect(announced.status).toBe(413);
    expect(await announced.json()).toMatchObject({ id: null, error: { code: ErrorCode.INVALID_REQUEST, data: { max_bytes: 1024 } } });

    const chunks = [big.slice(0, 600), big.slice(600)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(chunk));
      },
    });
    const streamed = await fetch(`${server.url}/rpc`, { method: 'POST', body: stream, duplex: 'half', headers: { 'Content-Type': 'application/json' } } as RequestInit);
    expect(streamed.status).toBe(413);

    expect(await server.rpc('ping')).toMatchObject({ result: { pong: true } });
  });

  it('hides unexpected failures behind INTERNAL_ERROR or a JSON 500, and reports them', async () => {
    const handle = await startInProcessDriver();
    const real = handle.rpc();
    const seen: unknown[] = [];
    const driver: RpcCaller = {
      // A bug in the caller, not a protocol error.
      call: (method, params, options) => (method === 'list_tables' ? Promise.reject(new TypeError('boom')) : real.call(method, params, options)),
    };
    const server = await startTestServer(driver, { onUnexpectedError: (error) => seen.push(error) });
    expect(await server.rpc('list_tables')).toMatchObject({ error: { code: ErrorCode.INTERNAL_ERROR, message: 'boom' } });
    expect(seen).toHaveLength(1);

    const broken = await startTestServer(driver, {
      status: () => {
        throw new Error('status exploded at /secret/path');
      },
      onUnexpectedError: (error) => seen.push(error),
    });
    const response = await broken.get('/status');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: 'internal server error' } });
    expect(text).not.toContain('/secret/path');
    expect(seen).toHaveLength(2);
    expect((await broken.rpc('ping')).result).toMatchObject({ pong: true });
  });
});
