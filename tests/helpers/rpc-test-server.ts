import { join } from 'node:path';
import { RpcError } from '../../src/ipc/errors.ts';
import type { RpcRequest } from '../../src/ipc/messages.ts';
import { RpcServer, type RpcServerOptions, type ServerConnection } from '../../src/ipc/rpc-server.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { Runtime, SocketConnection } from '../../src/runtime/types.ts';
import { deferCleanup } from './cleanup.ts';
import { makeTempDir } from './temp-dir.ts';

/** A request the test server received, with the server-side connection it came on. */
export interface Seen {
  readonly request: RpcRequest;
  readonly connection: ServerConnection;
}

/** A request parked by the test server until the test answers it. */
export interface Held extends Seen {
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/**
 * A real RpcServer on a socket in a temp dir, with handlers for tests:
 * - `echo`        → `{params, connection, priority, timeout_ms}` (what arrived on the wire)
 * - `void`        → returns undefined
 * - `fail`        → throws `new RpcError(params.code, params.message, params.data)`
 * - `fail_async`  → the same as a rejected promise
 * - `crash`       → throws a plain Error('kaboom')
 * - `crash_async` → rejects with a plain Error('kaboom later')
 * - `big`         → `{blob}` of `params.size` characters
 * - `unencodable` → a result JSON cannot carry (a bigint); `unencodable_error` the same in an error's data
 * - `drop`        → drops every connection (the server keeps listening); never answers
 * - `hello`       → `{session_id}`; VALIDATION_ERROR when `params.client` is "refused"
 * - anything else → parked in `held` until the test resolves or rejects it.
 */
export class TestRpcServer {
  readonly seen: Seen[] = [];
  readonly held: Held[] = [];
  readonly server: RpcServer;
  private stopped = false;

  private constructor(
    readonly socketPath: string,
    options: Partial<Omit<RpcServerOptions, 'socketPath' | 'handler'>>,
  ) {
    this.server = new RpcServer(nodeRuntime, { ...options, socketPath, handler: (request, connection) => this.handle(request, connection) });
  }

  static async start(options: { socketPath?: string } & Partial<Omit<RpcServerOptions, 'socketPath' | 'handler'>> = {}): Promise<TestRpcServer> {
    const { socketPath, ...rest } = options;
    const server = new TestRpcServer(socketPath ?? join(await makeTempDir('ca-rpc-'), 'rpc.sock'), rest);
    await server.server.listen();
    deferCleanup(() => server.stop());
    return server;
  }

  /** The parked request whose params.key is `key`. */
  heldByKey(key: unknown): Held | undefined {
    return this.held.find((entry) => entry.request.params?.key === key);
  }

  /** Stop accepting and drop every connection (the socket file goes away with the listener). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const stopping = this.server.stopAccepting();
    this.server.closeConnections();
    await stopping;
  }

  private handle(request: RpcRequest, connection: ServerConnection): unknown {
    this.seen.push({ request, connection });
    const params = request.params ?? {};
    switch (request.method) {
      case 'echo':
        return { params: request.params, connection: connection.id, priority: request.priority, timeout_ms: request.timeout_ms };
      case 'void':
        return undefined;
      case 'fail':
        throw wireError(params);
      case 'fail_async':
        return Promise.reject(wireError(params));
      case 'crash':
        throw new Error('kaboom');
      case 'crash_async':
        return Promise.reject(new Error('kaboom later'));
      case 'big':
        return { blob: 'x'.repeat(Number(params.size)) };
      case 'unencodable':
        return { n: 1n };
      case 'unencodable_error':
        throw new RpcError('DATABASE_ERROR', 'with odd data', { n: 1n });
      case 'hello':
        if (params.client === 'refused') throw new RpcError('VALIDATION_ERROR', 'params.client: refused');
        return { session_id: `s-${connection.id}` };
      case 'drop':
        this.server.closeConnections();
        return new Promise(() => undefined);
      default:
        return new Promise((resolve, reject) => this.held.push({ request, connection, resolve, reject }));
    }
  }
}

function wireError(params: Record<string, unknown>): RpcError {
  return new RpcError(
    (params.code as ConstructorParameters<typeof RpcError>[0]) ?? 'DATABASE_ERROR',
    String(params.message ?? 'failed'),
    params.data as Record<string, unknown> | undefined,
  );
}

/**
 * The real Node runtime, with its connectUnix observed: how many connection attempts the
 * client made and how many of them failed. Lets a test wait for "the client tried and
 * failed" as a condition instead of sleeping.
 */
export function observedRuntime(): { runtime: Runtime; attempts: () => number; failures: () => number } {
  let attempts = 0;
  let failures = 0;
  const runtime: Runtime = {
    ...nodeRuntime,
    async connectUnix(path: string): Promise<SocketConnection> {
      attempts++;
      try {
        return await nodeRuntime.connectUnix(path);
      } catch (error) {
        failures++;
        throw error;
      }
    },
  };
  return { runtime, attempts: () => attempts, failures: () => failures };
}

/**
 * Follow a promise's state without awaiting it. (tests/helpers/wait-for.ts isSettled always
 * answers false: its sentinel wins the race even against an already-settled promise.)
 */
export function watch(promise: Promise<unknown>): { readonly settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}
