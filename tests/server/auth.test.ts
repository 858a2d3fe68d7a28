import { beforeAll, describe, expect, it } from 'vitest';
import { startInProcessDriver } from '../helpers/driver.ts';
import { startTestServer, type TestServer } from './server-fixture.ts';

const TOKEN = 'correct-horse-battery-staple!';

describe('bearer token auth', () => {
  let server: TestServer;

  beforeAll(async () => {
    const driver = await startInProcessDriver();
    server = await startTestServer(driver.rpc(), { authToken: TOKEN });
  });

  const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
  const requests = (headers: Record<string, string>) => [
    fetch(`${server.url}/status`, { headers }),
    fetch(`${server.url}/metrics`, { headers }),
    fetch(`${server.url}/rpc`, { method: 'POST', body: ping, headers: { 'Content-Type': 'application/json', ...headers } }),
    fetch(`${server.url}/no-such-route`, { headers }),
  ];

  it('answers 401 with a Bearer challenge and a JSON error when the token is missing', async () => {
    for (const response of await Promise.all(requests({}))) {
      expect(response.status, response.url).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="code-analysis"');
      expect(await response.json()).toMatchObject({ error: { code: 'unauthorized', message: expect.stringContaining('Authorization: Bearer') } });
    }
  });

  it('answers 401 to a wrong token, a token of another scheme, or a prefix of the right one', async () => {
    for (const authorization of ['Bearer wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, 'Bearer']) {
      for (const response of await Promise.all(requests({ Authorization: authorization }))) {
        expect(response.status, `${authorization} ${response.url}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="code-analysis"/);
        await response.body?.cancel();
      }
    }
    const wrong = await server.get('/status', 'wrong-token');
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="code-analysis", error="invalid_token"');
    expect(await wrong.json()).toEqual({ error: { code: 'unauthorized', message: 'the bearer token is not valid' } });
  });

  it('serves every route with the right token, whatever the case of the scheme', async () => {
    const [status, metrics, rpc, unknown] = await Promise.all(requests({ Authorization: `bearer ${TOKEN}` }));
    expect(status!.status).toBe(200);
    expect(metrics!.status).toBe(200);
    expect(await rpc!.json()).toMatchObject({ result: { pong: true } });
    expect(unknown!.status).toBe(404);
  });

  it('leaves /health open', async () => {
    const response = await server.get('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
    expect((await server.get('/health', 'wrong-token')).status).toBe(200);
  });
});
