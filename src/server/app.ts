import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { RpcAccess } from '../config/schema.ts';
import type { SqlDialectName } from '../driver/sql/sql-lexer.ts';
import type { RpcCaller } from '../ipc/rpc-client.ts';
import { mcpHttpHandler } from '../mcp/http-handler.ts';
import type { SupervisorStatus } from '../supervisor/types.ts';
import type { CodeTools } from '../tools/context.ts';
import { allowedHostNames } from './allowed-hosts.ts';
import { identifyCaller } from './auth.ts';
import { codeRoutes } from './code-routes.ts';
import { healthHandler } from './health.ts';
import { jsonError } from './http-errors.ts';
import { metricsHandler } from './metrics.ts';
import { requestGuard } from './request-guard.ts';
import { bodyTooLarge, rpcHandler } from './rpc.ts';
import { statusHandler } from './status.ts';

export interface AppOptions {
  status: () => SupervisorStatus;
  /** The supervisor's client of the driver. */
  driver: RpcCaller;
  /** The code tools over the index (the code routes, /rpc's code commands, /mcp); until it is ready they answer CONNECTION_ERROR. */
  code?: () => CodeTools | undefined;
  /** When set, every route but /health requires `Authorization: Bearer <token>`. */
  authToken: string | null;
  /** A read-only token next to `authToken` (server.read_token). */
  readToken?: string | null;
  /** What POST /rpc may do (server.rpc); `read` when not given. */
  rpc?: RpcAccess;
  /** The database's SQL dialect (database.type): how `read` access tells an `execute` that reads. */
  sqlDialect: SqlDialectName;
  /** Names accepted in Host and Origin besides the loopback ones: the bind host and server.allowed_hosts. */
  allowedHosts?: readonly string[];
  version: string;
  /** How long /health waits for ping (and /status, /metrics for stats). */
  pingTimeoutMs?: number;
  /** Largest accepted POST /rpc body. */
  maxBodyBytes?: number;
  /** Told of every failure that is not a protocol error (a bug); the client gets a 500 or INTERNAL_ERROR. */
  onUnexpectedError?: (error: unknown) => void;
}

export const DEFAULT_PING_TIMEOUT_MS = 2_000;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The HTTP command server (DESIGN §7): health, status, metrics and JSON-RPC over HTTP. */
export function createApp(options: AppOptions): Hono {
  const timeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onUnexpectedError = options.onUnexpectedError ?? (() => {});
  const { status, driver, version } = options;

  const app = new Hono();
  // Before anything else, and on every route: a browser page of another site gets nothing (DNS rebinding, CSRF).
  app.use('*', requestGuard(allowedHostNames(options.allowedHosts ?? [])));
  // Load balancers and orchestrators probe /health without credentials.
  app.use('*', identifyCaller({ auth: options.authToken, read: options.readToken ?? null }, new Set(['/health'])));
  app.get('/health', healthHandler({ status, driver, version, pingTimeoutMs: timeoutMs }));
  app.get('/status', statusHandler({ status, driver, statsTimeoutMs: timeoutMs }));
  app.get('/metrics', metricsHandler({ status, driver, version, statsTimeoutMs: timeoutMs }));
  const code = options.code ?? (() => undefined);
  app.post(
    '/rpc',
    bodyLimit({ maxSize: maxBodyBytes, onError: bodyTooLarge(maxBodyBytes) }),
    rpcHandler({ driver, code, sqlDialect: options.sqlDialect }, options.rpc ?? 'read', onUnexpectedError),
  );
  codeRoutes(app, code, onUnexpectedError);
  const mcp = mcpHttpHandler({ version, tools: code, onUnexpectedError });
  app.all('/mcp', (c) => mcp(c.req.raw));
  app.notFound((c) => jsonError(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    onUnexpectedError(error);
    return jsonError(c, 500, 'internal_error', 'internal server error');
  });
  return app;
}
