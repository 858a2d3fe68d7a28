import { describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.ts';
import { ErrorCode } from '../../src/ipc/errors.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { startServe, testConfig, type ServeHandle } from '../helpers/serve.ts';

/**
 * Issue 14, case 3's HTTP side (README, Security): what POST /rpc may do is server.rpc
 * (off | read | write), and a read token never writes. Each role over a real serve; the
 * refused calls change nothing and the server keeps answering.
 */

const ITEMS = { name: 'items', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] };
const AUTH = 'the-full-access-token-123';
const READ = 'the-read-only-token-4567';

interface Answer {
  result?: any;
  error?: { code: number; message: string; data?: Record<string, unknown> };
}

function caller(serve: ServeHandle, token?: string) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  return {
    async rpc(method: string, params?: Record<string, unknown>): Promise<Answer> {
      const response = await fetch(`${serve.url}/rpc`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
      return (await response.json()) as Answer;
    },
    get: (path: string) => fetch(`${serve.url}${path}`, { headers }),
  };
}

/** The table and one acknowledged row, written over the socket (the local trust boundary), not over HTTP. */
async function seed(serve: ServeHandle): Promise<void> {
  const db = connectDatabase(nodeRuntime, { socketPath: serve.paths.socket, timeoutMs: 10_000 });
  deferCleanup(() => db.close());
  await db.createTable(ITEMS);
  await db.insert('items', { id: 1, label: 'acknowledged' });
}

const WRITES: Array<[string, Record<string, unknown>]> = [
  ['insert', { table_name: 'items', data: { id: 2, label: 'refused' } }],
  ['update', { table_name: 'items', where: { id: 1 }, data: { label: 'changed' } }],
  ['delete', { table_name: 'items', where: { id: 1 } }],
  ['drop_table', { table_name: 'items' }],
  ['create_table', { schema: { name: 'other', columns: [{ name: 'v', type: 'text' }] } }],
  ['execute', { sql: 'DELETE FROM items' }],
  ['execute', { sql: 'WITH doomed AS (SELECT id FROM items) DELETE FROM items WHERE id IN (SELECT id FROM doomed)' }],
  ['execute', { sql: 'SELECT 1; DROP TABLE items' }],
  ['batch', { operations: [{ method: 'select', params: { table_name: 'items' } }, { method: 'delete', params: { table_name: 'items', where: { id: 1 } } }] }],
  ['optimize', {}],
];

async function expectReadsOnly(rpc: (method: string, params?: Record<string, unknown>) => Promise<Answer>, why: RegExp): Promise<void> {
  for (const [method, params] of WRITES) {
    const answer = await rpc(method, params);
    expect(answer.error, `${method} ${JSON.stringify(params)}`).toMatchObject({ code: ErrorCode.PERMISSION_DENIED, message: expect.stringMatching(why) });
  }
  expect((await rpc('ping')).result).toMatchObject({ pong: true });
  expect((await rpc('list_tables')).result.tables).toContain('items');
  expect((await rpc('get_table_info', { table_name: 'items' })).result.info).toHaveLength(2);
  const selected = await rpc('execute', { sql: "SELECT label FROM items WHERE label <> 'DELETE FROM items' -- UPDATE" });
  expect(selected.result?.data, JSON.stringify(selected)).toEqual([{ label: 'acknowledged' }]);
  expect((await rpc('batch', { operations: [{ method: 'select', params: { table_name: 'items' } }] })).result.results).toHaveLength(1);
  expect((await rpc('list_projects')).result).toEqual({ projects: [] });
  // Nothing changed: the acknowledged row is there, alone.
  expect((await rpc('select', { table_name: 'items' })).result).toEqual({ data: [{ id: 1, label: 'acknowledged' }] });
}

describe('the HTTP access policy over a real serve', () => {
  it('by default (no token, server.rpc "read") POST /rpc reads and never writes', async () => {
    const serve = await startServe();
    await seed(serve);
    const anyone = caller(serve);
    await expectReadsOnly(anyone.rpc, /is not allowed with read access; writes over HTTP need server\.rpc "write"/);
    expect((await anyone.rpc('insert', WRITES[0]![1])).error?.message).toBe(
      'insert is not allowed with read access; writes over HTTP need server.rpc "write", and the auth token when the server has one (the read token only reads)',
    );
    expect((await serve.get('/health')).status).toBe(200);
  });

  it('with both tokens and server.rpc "write": the auth token writes, the read token reads everything and writes nothing, no token gets 401', async () => {
    const serve = await startServe({ config: testConfig({ server: { rpc: 'write', auth_token: AUTH, read_token: READ } }) });
    await seed(serve);
    const reader = caller(serve, READ);
    const admin = caller(serve, AUTH);
    const stranger = caller(serve);
    const wrong = caller(serve, 'not-a-token-of-this-server');
    for (const who of [stranger, wrong]) {
      expect((await who.get('/status')).status).toBe(401);
      expect((await who.rpc('ping')).error).toMatchObject({ code: 'unauthorized' });
    }
    expect((await stranger.get('/health')).status).toBe(200);

    await expectReadsOnly(reader.rpc, /is not allowed with read access/);
    for (const path of ['/status', '/metrics', '/projects', '/search?q=anything']) expect((await reader.get(path)).status, path).toBe(200);

    expect((await admin.rpc('insert', { table_name: 'items', data: { id: 2, label: 'written' } })).result).toEqual({ row_id: 2 });
    expect((await admin.rpc('execute', { sql: "UPDATE items SET label = 'by execute' WHERE id = 2" })).result).toMatchObject({ affected_rows: 1 });
    expect((await reader.rpc('select', { table_name: 'items', order_by: ['id'] })).result.data).toEqual([
      { id: 1, label: 'acknowledged' },
      { id: 2, label: 'by execute' },
    ]);
  });

  it('server.rpc "off" refuses every POST /rpc call, even with the auth token; the other routes still answer', async () => {
    const serve = await startServe({ config: testConfig({ server: { rpc: 'off', auth_token: AUTH } }) });
    await seed(serve);
    const admin = caller(serve, AUTH);
    for (const method of ['ping', 'select', 'list_projects', 'insert']) {
      const answer = await admin.rpc(method, method === 'select' ? { table_name: 'items' } : undefined);
      expect(answer.error, method).toEqual({
        code: ErrorCode.PERMISSION_DENIED,
        message: 'POST /rpc is turned off on this server (server.rpc is "off")',
        data: { method, access: 'off' },
      });
    }
    expect((await admin.get('/projects')).status).toBe(200);
    expect((await admin.get('/status')).status).toBe(200);
    expect((await serve.get('/health')).status).toBe(200);
  });
});
