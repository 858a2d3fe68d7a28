import type { Runtime } from '../runtime/types.ts';
import { RpcError } from './errors.ts';
import type { Params } from './messages.ts';
import { RpcConnection, withCaller } from './rpc-connection.ts';
import type { CallOptions, ClientHello, RpcCaller } from './types.ts';

export type { CallOptions, ClientHello, RpcCaller } from './types.ts';

export interface RpcClientOptions {
  socketPath: string;
  /** Connections to spread calls over (pipelined on each). */
  poolSize?: number;
  /** Default per-call timeout; a call may set its own. */
  timeoutMs?: number;
  /** Methods that are safe to send again after a lost connection (reads). */
  retryableMethods?: ReadonlySet<string>;
  /** First reconnect delay; doubles on each failure up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxFrameBytes?: number;
  /**
   * Sent as `hello` on every connection before anything else: names the client in the
   * driver's statistics, and `role: "owner"` makes it one of the server's own connections,
   * which may change protected tables. Without it a connection is an ordinary client.
   */
  hello?: ClientHello;
}




/** A caller bound to one connection, for work that the server ties to it (transactions). */
export interface PinnedCaller extends RpcCaller {
  readonly connection: RpcConnection;
}

const DEFAULTS = {
  poolSize: 2,
  timeoutMs: 30_000,
  initialBackoffMs: 20,
  maxBackoffMs: 1_000,
  maxFrameBytes: 512 * 1024 * 1024,
};

/**
 * The client every process uses to reach the driver: a small pool of pipelined
 * connections, per-call timeouts, reconnection with exponential backoff, and automatic
 * retry of reads (never of writes, which might have been applied).
 */
export class RpcClient implements RpcCaller {
  private readonly slots: Array<RpcConnection | null>;
  private readonly connecting: Array<Promise<RpcConnection> | null>;
  private readonly options: Required<Omit<RpcClientOptions, 'retryableMethods' | 'hello'>> & {
    retryableMethods: ReadonlySet<string>;
    hello?: ClientHello;
  };
  private closed = false;

  constructor(
    private readonly runtime: Runtime,
    options: RpcClientOptions,
  ) {
    this.options = { ...DEFAULTS, retryableMethods: new Set(), ...options };
    this.slots = Array.from({ length: Math.max(1, this.options.poolSize) }, () => null);
    this.connecting = this.slots.map(() => null);
  }

  get socketPath(): string {
    return this.options.socketPath;
  }

  async call<T = unknown>(method: string, params?: Params, options: CallOptions = {}): Promise<T> {
    // Taken before any await, so errors point at the code that made the call.
    const caller = new Error();
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    let lostInFlight = 0;
    for (;;) {
      const connection = await this.acquire(deadline).catch((error: unknown) => {
        throw withCaller(RpcError.from(error), caller);
      });
      try {
        return await connection.call<T>(method, params, { ...options, timeoutMs: Math.max(1, deadline - Date.now()) }, caller);
      } catch (error) {
        // Only a lost connection is worth another try: a CONNECTION_ERROR the server sent
        // (its database is unreachable) is its answer, and the caller should have it now.
        // A read lost in flight is sent once more, never twice: if it is what kills the
        // server, retrying it for ever would kill every restarted one too.
        const retry =
          error instanceof RpcError &&
          error.is('CONNECTION_ERROR') &&
          connection.closed &&
          this.options.retryableMethods.has(method) &&
          !(error.data?.in_flight === true && lostInFlight++ > 0) &&
          Date.now() < deadline &&
          !this.closed;
        if (!retry) throw error;
      }
    }
  }

  /** A caller that always uses the same connection; it never reconnects. */
  async pin(timeoutMs = this.options.timeoutMs): Promise<PinnedCaller> {
    const connection = await this.acquire(Date.now() + timeoutMs);
    return {
      connection,
      call: (method, params, options = {}) =>
        connection.call(method, params, { ...options, timeoutMs: options.timeoutMs ?? this.options.timeoutMs }, new Error()),
    };
  }

  close(): void {
    this.closed = true;
    for (const connection of this.slots) connection?.close();
    this.slots.fill(null);
  }

  /** The least busy open connection; opens another while the pool has room. */
  private async acquire(deadline: number): Promise<RpcConnection> {
    if (this.closed) throw new RpcError('CONNECTION_ERROR', 'client is closed');
    let best: RpcConnection | null = null;
    let freeSlot = -1;
    for (let i = 0; i < this.slots.length; i++) {
      const connection = this.slots[i];
      if (connection && !connection.closed) {
        if (!best || connection.inFlight < best.inFlight) best = connection;
      } else if (freeSlot < 0 || this.connecting[i]) {
        // Prefer joining a connection attempt already under way.
        freeSlot = i;
      }
    }
    if (best && (best.inFlight === 0 || freeSlot < 0)) return best;
    return this.connectSlot(freeSlot, deadline);
  }

  private connectSlot(slot: number, deadline: number): Promise<RpcConnection> {
    const existing = this.connecting[slot];
    if (existing) return existing;
    const attempt = this.connectWithBackoff(deadline).then(
      (connection) => {
        this.connecting[slot] = null;
        if (this.closed) {
          connection.destroy();
          throw new RpcError('CONNECTION_ERROR', 'client is closed');
        }
        this.slots[slot] = connection;
        return connection;
      },
      (error) => {
        this.connecting[slot] = null;
        throw error;
      },
    );
    this.connecting[slot] = attempt;
    return attempt;
  }

  private async introduce(connection: RpcConnection, deadline: number): Promise<void> {
    try {
      await connection.call('hello', { ...this.options.hello }, { timeoutMs: Math.max(1, deadline - Date.now()) });
    } catch (error) {
      connection.destroy();
      throw error;
    }
  }

  private async connectWithBackoff(deadline: number): Promise<RpcConnection> {
    let delay = this.options.initialBackoffMs;
    let attempts = 0;
    for (;;) {
      attempts++;
      try {
        const socket = await this.runtime.connectUnix(this.options.socketPath);
        const connection = new RpcConnection(socket, this.options.socketPath, this.options.maxFrameBytes);
        if (this.options.hello) await this.introduce(connection, deadline);
        return connection;
      } catch (error) {
        // The driver refused our hello: trying again would not change its mind.
        if (error instanceof RpcError && !error.is('CONNECTION_ERROR')) throw error;
        const remaining = deadline - Date.now();
        if (remaining <= 0 || this.closed) {
          throw new RpcError(
            'CONNECTION_ERROR',
            `cannot connect to ${this.options.socketPath} after ${attempts} attempt(s): ${(error as Error).message}`,
            { socket: this.options.socketPath, attempts },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(delay, remaining)));
        delay = Math.min(delay * 2, this.options.maxBackoffMs);
      }
    }
  }
}
