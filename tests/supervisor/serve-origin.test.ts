import { join } from 'node:path';
import { expect, it } from 'vitest';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { rawHttp } from '../helpers/raw-http.ts';
import { startServe, testConfig } from '../helpers/serve.ts';

/**
 * Issue 14, case 2: a web page that rebinds its own name to 127.0.0.1 sends a "simple"
 * cross-site request (text/plain, no preflight) to POST /rpc. Even with writes allowed over
 * HTTP, it is refused before anything runs, and the server keeps every acknowledged row.
 */
it('refuses the DNS-rebinding request (foreign Host and Origin, text/plain): nothing executed, the server still answers', async () => {
  const serve = await startServe({ config: testConfig({ server: { rpc: 'write' } }) });
  const port = new URL(serve.url).port;
  const table = { name: 'items', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] };
  expect((await serve.rpc('create_table', { schema: table })).result).toMatchObject({ success: true });
  expect((await serve.rpc('insert', { table_name: 'items', data: { id: 1, label: 'kept' } })).result).toEqual({ row_id: 1 });

  const planted = join(serve.dir, 'planted.db');
  const attach = (as: string) =>
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'execute', params: { sql: `ATTACH DATABASE '${planted}' AS ${as}` } });
  const attempts: Array<{ what: string; status: number; host: string; headers: Record<string, string> }> = [
    { what: 'the rebinding request', status: 403, host: `evil.example:${port}`, headers: { 'Content-Type': 'text/plain', Origin: 'http://evil.example' } },
    { what: 'a foreign Host with JSON', status: 403, host: `evil.example:${port}`, headers: { 'Content-Type': 'application/json' } },
    { what: 'a foreign Origin on a loopback Host', status: 403, host: `127.0.0.1:${port}`, headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' } },
    { what: 'text/plain from a loopback client', status: 415, host: `127.0.0.1:${port}`, headers: { 'Content-Type': 'text/plain' } },
  ];
  for (const [i, attempt] of attempts.entries()) {
    const response = await rawHttp(`${serve.url}/rpc`, { method: 'POST', host: attempt.host, headers: attempt.headers, body: attach(`a${i}`) });
    expect(response.status, attempt.what).toBe(attempt.status);
    const error = (response.json() as { error: { code: string; message: string } }).error;
    expect(error.message, attempt.what).toMatch(attempt.status === 415 ? /^Content-Type/ : /^(Host|Origin) header/);
  }
  expect(await nodeRuntime.fs.exists(planted)).toBe(false);
  // The same for the routes that read: a rebound page cannot read the status either.
  expect((await rawHttp(`${serve.url}/status`, { host: `evil.example:${port}` })).status).toBe(403);

  expect((await serve.get('/health')).status).toBe(200);
  expect((await serve.rpc('select', { table_name: 'items' })).result).toEqual({ data: [{ id: 1, label: 'kept' }] });
  expect((await serve.service('driver')).restarts).toBe(0);
});
