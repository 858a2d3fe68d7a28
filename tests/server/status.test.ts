import { describe, expect, it } from 'vitest';
import { startInProcessDriver } from '../helpers/driver.ts';
import { startTestServer } from './server-fixture.ts';

describe('GET /status', () => {
  it('reports the supervisor status with the driver queue statistics', async () => {
    const driver = await startInProcessDriver();
    const server = await startTestServer(driver.rpc());
    server.set('maintenance', 'backoff', { restarts: 2, last_error: 'exit code 1' });

    const response = await server.get('/status');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      pid: 4141,
      version: '9.9.9-test',
      state: 'running',
      data_dir: '/tmp/data',
      services: [
        { name: 'driver', kind: 'driver', state: 'running', pid: 4242 },
        { name: 'maintenance', kind: 'worker', state: 'backoff', restarts: 2, last_error: 'exit code 1' },
        { name: 'http', kind: 'http' },
      ],
      queue: { depth: { critical: 0, high: 0, normal: 0, low: 0, total: 0 }, rejected: 0, expired: 0 },
    });
    // The whole queue snapshot comes through, not only the fields the server reads.
    expect(body.queue).toHaveProperty('max_size');
    expect(body.queue).toHaveProperty('wait_ms');
    expect(body).not.toHaveProperty('queue_error');
  });

  it('still answers with the services when the driver does not, saying why the queue is missing', async () => {
    const driver = await startInProcessDriver();
    const server = await startTestServer(driver.rpc({ timeoutMs: 5_000 }), { pingTimeoutMs: 300 });
    await driver.stop();

    const response = await server.get('/status');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.services).toHaveLength(3);
    expect(body.queue).toBeNull();
    expect(body.queue_error).toMatch(/connect|closed/);
  });
});
