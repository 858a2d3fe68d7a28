import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { HttpServerError, startHttpServer } from '../../src/server/http-server.ts';
import { isLoopbackHost } from '../../src/server/loopback.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { startInProcessDriver } from '../helpers/driver.ts';
import { statusFixture } from './server-fixture.ts';

async function app(authToken: string | null = null) {
  const driver = await startInProcessDriver();
  return createApp({ status: statusFixture().status, driver: driver.rpc(), authToken, version: 'test', sqlDialect: 'sqlite' });
}

async function failure(work: Promise<unknown>): Promise<HttpServerError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HttpServerError);
  return error as HttpServerError;
}

describe('startHttpServer', () => {
  it('refuses a non-loopback host without a token, naming the setting', async () => {
    const handler = await app();
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      const error = await failure(startHttpServer(nodeRuntime, { host, port: 0, authToken: null, app: handler }));
      expect(error.code).toBe('NOT_LOOPBACK');
      expect(error.message).toBe(`server.host ${host} is not a loopback address; set server.auth_token to expose the server`);
    }
  });

  it('serves on a loopback host without a token', async () => {
    const server = await startHttpServer(nodeRuntime, { host: '127.0.0.1', port: 0, authToken: null, app: await app() });
    deferCleanup(() => server.close());
    expect(server.port).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).toBe(200);
  });

  it('names host and port when the port is taken', async () => {
    const handler = await app();
    const first = await startHttpServer(nodeRuntime, { host: '127.0.0.1', port: 0, authToken: null, app: handler });
    deferCleanup(() => first.close());
    const error = await failure(startHttpServer(nodeRuntime, { host: '127.0.0.1', port: first.port, authToken: null, app: handler }));
    expect(error.code).toBe('LISTEN_FAILED');
    expect(error.message).toBe(`cannot listen on 127.0.0.1:${first.port}: the port is already in use`);
    expect((await fetch(`http://127.0.0.1:${first.port}/health`)).status).toBe(200);
  });

  it('lets a token open other hosts, and reports an address it cannot bind', async () => {
    // 192.0.2.0/24 is reserved for documentation: no machine has it, so binding fails.
    const error = await failure(startHttpServer(nodeRuntime, { host: '192.0.2.1', port: 0, authToken: 'a-long-enough-token', app: await app('a-long-enough-token') }));
    expect(error.code).toBe('LISTEN_FAILED');
    expect(error.message).toMatch(/^cannot listen on 192\.0\.2\.1:0: .*EADDRNOTAVAIL/);
    const v6 = await failure(startHttpServer(nodeRuntime, { host: '2001:db8::1', port: 0, authToken: 'a-long-enough-token', app: await app() }));
    expect(v6.message).toMatch(/^cannot listen on \[2001:db8::1\]:0: /);
  });
});

describe('isLoopbackHost', () => {
  it('accepts localhost, 127.0.0.0/8 and ::1 in its spellings', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '127.255.255.255', '::1', '[::1]', '0:0:0:0:0:0:0:1', '0000::0001', '::ffff:127.0.0.1', '::FFFF:7f00:1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('refuses everything else', () => {
    for (const host of ['0.0.0.0', '::', '128.0.0.1', '127.0.0.256', '127.0.0', '10.0.0.1', '::2', '1::1', '::ffff:10.0.0.1', '::ffff:127.0.0.300', '::127.0.0.1', '1:2:3:4:5:6:7:8:9', '1::2::3', 'fe80::1%lo', 'localhost.evil.com', '']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});
