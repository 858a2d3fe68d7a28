import { createApp, type AppOptions } from '../../src/server/app.ts';
import { startHttpServer } from '../../src/server/http-server.ts';
import type { RpcCaller } from '../../src/ipc/rpc-client.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { ServiceState, ServiceStatus, SupervisorStatus } from '../../src/supervisor/types.ts';
import { deferCleanup } from '../helpers/cleanup.ts';

/** A supervisor as the HTTP server sees it: a status a test can change between requests. */
export function statusFixture() {
  const started = new Date().toISOString();
  const service = (name: string, kind: ServiceStatus['kind'], pid: number | null): ServiceStatus => ({
    name,
    kind,
    state: 'running',
    pid,
    started_at: started,
    ready_at: started,
    uptime_ms: 1,
    restarts: 0,
    health: 'ok',
    last_error: null,
    details: {},
  });
  const services = [service('driver', 'driver', 4242), service('maintenance', 'worker', 4343), service('http', 'http', null)];
  return {
    services,
    driver: services[0]!,
    set(name: string, state: ServiceState, fields: Partial<ServiceStatus> = {}) {
      Object.assign(services.find((entry) => entry.name === name)!, { state, ...fields });
    },
    status: (): SupervisorStatus => ({
      pid: 4141,
      version: '9.9.9-test',
      state: 'running',
      started_at: started,
      uptime_ms: 5,
      data_dir: '/tmp/data',
      services: services.map((entry) => ({ ...entry })),
    }),
  };
}

export interface TestServer {
  url: string;
  /** fetch a path of this server, with the token when one is given. */
  get(path: string, token?: string): Promise<Response>;
  post(path: string, body: string | Uint8Array, token?: string): Promise<Response>;
  /** POST /rpc with a JSON-RPC request; returns the parsed body. */
  rpc(method: string, params?: unknown, extra?: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * The real app on the real HTTP server, on 127.0.0.1 and a free port; closed after the file.
 * POST /rpc may write (`rpc: "write"`) unless the options say otherwise: most suites here
 * test the methods, not the access policy.
 */
export async function startTestServer(
  driver: RpcCaller,
  options: Partial<Omit<AppOptions, 'driver'>> = {},
): Promise<TestServer & ReturnType<typeof statusFixture>> {
  const fixture = statusFixture();
  const authToken = options.authToken ?? null;
  const app = createApp({ status: fixture.status, version: '9.9.9-test', pingTimeoutMs: 1_000, rpc: 'write', sqlDialect: 'sqlite', ...options, authToken, driver });
  const server = await startHttpServer(nodeRuntime, { host: '127.0.0.1', port: 0, authToken, app });
  deferCleanup(() => server.close());
  const url = `http://127.0.0.1:${server.port}`;
  const headers = (token?: string): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {});
  const send = (path: string, body: string | Uint8Array, token?: string) =>
    fetch(`${url}${path}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers(token) } });
  let nextId = 1;
  return {
    ...fixture,
    url,
    get: (path, token) => fetch(`${url}${path}`, { headers: headers(token) }),
    post: send,
    async rpc(method, params, extra = {}) {
      const request = { jsonrpc: '2.0', id: nextId++, method, ...(params === undefined ? {} : { params }), ...extra };
      const response = await send('/rpc', JSON.stringify(request), authToken ?? undefined);
      return (await response.json()) as Record<string, unknown>;
    },
    close: () => server.close(),
  };
}
