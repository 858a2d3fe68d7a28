import { describe, expect, it } from 'vitest';
import { startDriverProcess } from '../helpers/driver.ts';
import { startTestServer } from './server-fixture.ts';

describe('GET /health', () => {
  it('is 200 with the ping result while the driver answers, and 503 once it is stopped', async () => {
    const driver = await startDriverProcess();
    const server = await startTestServer(driver.rpc({ timeoutMs: 5_000 }), { pingTimeoutMs: 500 });

    const ok = await server.get('/health');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await ok.json()).toMatchObject({ status: 'ok', version: '9.9.9-test', driver: { pong: true, pid: driver.pid } });

    expect(await driver.stop()).toBe(0);
    const down = await server.get('/health');
    expect(down.status).toBe(503);
    const body = (await down.json()) as { status: string; reason: string };
    expect(body.status).toBe('unavailable');
    expect(body.reason).toContain(driver.socketPath);
  });

  it('is 503 with the last error when the supervisor marked the driver failed, even while it answers', async () => {
    const driver = await startDriverProcess();
    const server = await startTestServer(driver.rpc());
    server.set('driver', 'failed', { last_error: 'crashed 5 times within 60000 ms (last: exit code 1)' });

    const response = await server.get('/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'failed',
      version: '9.9.9-test',
      reason: 'crashed 5 times within 60000 ms (last: exit code 1)',
    });

    server.set('driver', 'failed', { last_error: null });
    expect(await (await server.get('/health')).json()).toMatchObject({ status: 'failed', reason: 'the driver service failed' });

    server.set('driver', 'running');
    expect((await server.get('/health')).status).toBe(200);
  });
});
