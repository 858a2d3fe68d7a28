import { beforeAll, describe, expect, it } from 'vitest';
import { startInProcessDriver } from '../helpers/driver.ts';
import { rawHttp } from '../helpers/raw-http.ts';
import { startTestServer, type TestServer } from './server-fixture.ts';

const PING = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('Host, Origin and Content-Type on every route', () => {
  let server: TestServer;
  let named: TestServer;
  let port: string;

  beforeAll(async () => {
    const driver = await startInProcessDriver();
    server = await startTestServer(driver.rpc());
    named = await startTestServer(driver.rpc(), { allowedHosts: ['Code.Example.com', '10.1.2.3', '::2'] });
    port = new URL(server.url).port;
  });

  it('accepts the loopback names with any port or none, and no Origin or a loopback one', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST', '127.0.0.1:1', '[::1]']) {
      const response = await rawHttp(`${server.url}/health`, { host });
      expect(response.status, host).toBe(200);
    }
    for (const origin of ['http://localhost:3000', 'https://127.0.0.1', 'http://[::1]:8080', `http://127.0.0.1:${port}`]) {
      const response = await rawHttp(`${server.url}/rpc`, { method: 'POST', headers: { ...JSON_TYPE, Origin: origin }, body: PING });
      expect(response.status, origin).toBe(200);
      expect(response.json()).toMatchObject({ result: { pong: true } });
    }
  });

  it('answers 403 naming the Host header to a foreign or malformed Host, on every route', async () => {
    for (const path of ['/health', '/status', '/metrics', '/projects', '/no-such-route']) {
      for (const host of [`evil.example:${port}`, 'evil.example', '127.0.0.2', 'localhost.evil.example']) {
        const response = await rawHttp(`${server.url}${path}`, { host });
        expect(response.status, `${path} ${host}`).toBe(403);
        expect(response.json()).toEqual({ error: { code: 'forbidden_host', message: expect.stringContaining('Host header') } });
      }
    }
    // Node's HTTP parser answers 400 to some malformed ones before the app sees them.
    for (const host of ['localhost:x', 'user@localhost', 'localhost:1:2']) {
      expect([400, 403], host).toContain((await rawHttp(`${server.url}/health`, { host })).status);
    }
    // HTTP/1.1 requires a Host: Node's parser refuses its absence with a 400, the app with a 403.
    expect([400, 403]).toContain((await rawHttp(`${server.url}/health`, { host: null })).status);
    const refused = await rawHttp(`${server.url}/status`, { host: `evil.example:${port}` });
    expect((refused.json() as { error: { message: string } }).error.message).toBe(
      `Host header "evil.example:${port}" does not name this server; list the name in server.allowed_hosts to accept it`,
    );
  });

  it('answers 403 naming the Origin header to a foreign, opaque or non-web Origin', async () => {
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', 'file://', 'chrome-extension://abc', 'not a url', 'http://localhost.evil.example']) {
      const response = await rawHttp(`${server.url}/rpc`, { method: 'POST', headers: { ...JSON_TYPE, Origin: origin }, body: PING });
      expect(response.status, origin).toBe(403);
      expect(response.json()).toEqual({ error: { code: 'forbidden_origin', message: `Origin header ${JSON.stringify(origin)} is not this server; list the name in server.allowed_hosts to accept it` } });
    }
    expect((await rawHttp(`${server.url}/status`, { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('accepts the names of server.allowed_hosts (any case, any port) in Host and Origin, besides the loopback ones', async () => {
    for (const host of ['code.example.com', 'CODE.example.com:443', '10.1.2.3:8787', '[::2]:1', 'localhost']) {
      expect((await rawHttp(`${named.url}/health`, { host })).status, host).toBe(200);
    }
    const response = await rawHttp(`${named.url}/rpc`, {
      method: 'POST',
      host: 'code.example.com',
      headers: { ...JSON_TYPE, Origin: 'https://code.example.com' },
      body: PING,
    });
    expect(response.status).toBe(200);
    expect((await rawHttp(`${named.url}/health`, { host: 'other.example.com' })).status).toBe(403);
    expect((await rawHttp(`${server.url}/health`, { host: 'code.example.com' })).status).toBe(403);
  });

  it('answers 415 naming Content-Type to a POST that is not application/json, and runs nothing', async () => {
    const create = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'create_table', params: { schema: { name: 'planted', columns: [{ name: 'v', type: 'text' }] } } });
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', undefined]) {
      const response = await rawHttp(`${server.url}/rpc`, { method: 'POST', headers: type === undefined ? {} : { 'Content-Type': type }, body: create });
      expect(response.status, String(type)).toBe(415);
      const got = type === undefined ? 'none' : JSON.stringify(type);
      expect(response.json()).toEqual({ error: { code: 'unsupported_media_type', message: `Content-Type must be application/json (got ${got})` } });
    }
    expect(await server.rpc('list_tables')).toMatchObject({ result: { tables: expect.not.arrayContaining(['planted']) } });
    const withCharset = await rawHttp(`${server.url}/rpc`, { method: 'POST', headers: { 'Content-Type': 'Application/JSON; charset=utf-8' }, body: PING });
    expect(withCharset.status).toBe(200);
  });
});
