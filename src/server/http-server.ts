import type { FetchHandler, HttpServer, Runtime } from '../runtime/types.ts';
import { isLoopbackHost } from './loopback.ts';

export type HttpServerErrorCode = 'NOT_LOOPBACK' | 'LISTEN_FAILED';

/** Why the HTTP server could not start; `code` is stable, the message names host and port. */
export class HttpServerError extends Error {
  override readonly name = 'HttpServerError';
  constructor(
    readonly code: HttpServerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface StartHttpServerOptions {
  host: string;
  port: number;
  authToken: string | null;
  app: { fetch: FetchHandler };
}

/**
 * Without a token, only a loopback host is allowed: anything else would hand the database
 * to whoever can reach the port. Serve checks this before it starts anything.
 */
export function assertExposable(host: string, authToken: string | null): void {
  if (!authToken && !isLoopbackHost(host)) {
    throw new HttpServerError('NOT_LOOPBACK', `server.host ${host} is not a loopback address; set server.auth_token to expose the server`);
  }
}

/** Listen with the app, on a host `assertExposable` allows. */
export async function startHttpServer(runtime: Runtime, options: StartHttpServerOptions): Promise<HttpServer> {
  const { host, port } = options;
  assertExposable(host, options.authToken);
  const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  try {
    return await runtime.serveHttp({ hostname: host, port, fetch: (request) => options.app.fetch(request) });
  } catch (error) {
    throw new HttpServerError('LISTEN_FAILED', `cannot listen on ${address}: ${describeListenError(error)}`, { cause: error });
  }
}

function describeListenError(error: unknown): string {
  const { code, name, message } = error as { code?: string; name?: string; message?: string };
  // Node spells it as a code, Deno as the error's name.
  if (code === 'EADDRINUSE' || name === 'AddrInUse') return 'the port is already in use';
  return message ?? String(error);
}
