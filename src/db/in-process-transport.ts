import type { DriverService } from '../driver/process/driver-service.ts';
import { RpcError } from '../ipc/errors.ts';
import type { Params } from '../ipc/messages.ts';
import type { CallOptions, ClientHello, RpcCaller } from '../ipc/types.ts';
import type { ServerConnection } from '../ipc/types.ts';
import type { DatabaseTransport } from './database-client.ts';

/** A connection that exists only in this process: transactions belong to it as to a socket. */
class LocalConnection implements ServerConnection {
  closed = false;
  /** The transport's hello was said on it. */
  introduced = false;
  private readonly listeners: Array<() => void> = [];

  constructor(readonly id: number) {}

  onClose(listener: () => void): void {
    if (this.closed) queueMicrotask(listener);
    else this.listeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.listeners) listener();
  }
}

/**
 * PostgreSQL `in_process` mode (DESIGN §8): the DatabaseClient talks to a DriverService in
 * this process instead of a socket — the same validation, queue, priorities, deadlines and
 * transaction leases, no framing and no JSON text: objects are handed over as they are. Like the socket client it spreads calls and pins over a
 * few connections, so transactions stay bound to the connection that began them.
 */
export class InProcessTransport implements DatabaseTransport {
  private readonly connections: LocalConnection[];
  private next = 0;
  private requestId = 0;
  private closed = false;

  constructor(
    private readonly service: DriverService,
    private readonly options: { poolSize?: number; timeoutMs?: number; hello?: ClientHello } = {},
  ) {
    this.connections = Array.from({ length: Math.max(1, options.poolSize ?? 2) }, (_, index) => new LocalConnection(index + 1));
  }

  call<T = unknown>(method: string, params?: Params, options?: CallOptions): Promise<T> {
    return this.invoke<T>(this.pick(), method, params, options);
  }

  async pin(): Promise<RpcCaller> {
    const connection = this.pick();
    return { call: (method, params, options) => this.invoke(connection, method, params, options) };
  }

  /** Ends this client's connections (open transactions roll back); the service stays with its owner. */
  close(): void {
    this.closed = true;
    for (const connection of this.connections) connection.close();
  }

  private pick(): LocalConnection {
    const connection = this.connections[this.next % this.connections.length]!;
    this.next++;
    return connection;
  }

  private async invoke<T>(connection: LocalConnection, method: string, params: Params | undefined, options: CallOptions = {}): Promise<T> {
    if (this.closed) throw new RpcError('CONNECTION_ERROR', `${method}: the client is closed`);
    if (this.options.hello && !connection.introduced) {
      // As a socket client says hello on each new connection (see RpcClientOptions.hello).
      connection.introduced = true;
      await this.service.handle({ jsonrpc: '2.0', id: ++this.requestId, method: 'hello', params: { ...this.options.hello } }, connection);
    }
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    // Objects both ways, no JSON text: admission validates the params into objects of its
    // own, and every result is built fresh for its request.
    const request = {
      jsonrpc: '2.0' as const,
      id: ++this.requestId,
      method,
      ...(params === undefined ? {} : { params }),
      ...(options.priority ? { priority: options.priority } : {}),
      ...(timeoutMs === undefined ? {} : { timeout_ms: timeoutMs }),
    };
    return (await this.service.handle(request, connection)) as T;
  }
}
