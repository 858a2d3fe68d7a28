import { describe, expect, it } from 'vitest';
import * as server from '../../src/server/index.ts';
import { createApp } from '../../src/server/app.ts';
import { HttpServerError, startHttpServer } from '../../src/server/http-server.ts';
import { isLoopbackHost } from '../../src/server/loopback.ts';

describe('src/server/index.ts', () => {
  it('re-exports the public API of the HTTP server', () => {
    expect(server.createApp).toBe(createApp);
    expect(server.startHttpServer).toBe(startHttpServer);
    expect(server.HttpServerError).toBe(HttpServerError);
    expect(server.isLoopbackHost).toBe(isLoopbackHost);
    expect(server.DEFAULT_MAX_BODY_BYTES).toBe(16 * 1024 * 1024);
    expect(server.DEFAULT_PING_TIMEOUT_MS).toBeGreaterThan(0);
    expect(server.MAX_BATCH_REQUESTS).toBe(1000);
  });
});
