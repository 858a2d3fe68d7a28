import type { Params, Priority, RpcRequest } from './messages.ts';

/**
 * The IPC contract: what a caller of the driver, and a handler of its requests, are to each
 * other. The socket client and server, the in-process transport and the HTTP forwarder all
 * fit these; callers import them from here, not from an implementation.
 */

export interface CallOptions {
  priority?: Priority;
  /** Client-side limit for the whole call; also sent as the request's deadline. */
  timeoutMs?: number;
}

/** Something calls can be sent through: the pooled client, one pinned connection, the in-process transport. */
export interface RpcCaller {
  call<T = unknown>(method: string, params?: Params, options?: CallOptions): Promise<T>;
}

/** What a connection says of itself first (the driver's `hello`). */
export interface ClientHello {
  client: string;
  /** `owner`: one of the server's own connections, which may change protected tables. */
  role?: 'owner';
  priority?: Priority;
}

/** One accepted client connection, as the request handler sees it. */
export interface ServerConnection {
  /** Unique per server; request ids are scoped to it. */
  readonly id: number;
  readonly closed: boolean;
  onClose(listener: () => void): void;
}

export type RpcHandler = (request: RpcRequest, connection: ServerConnection) => Promise<unknown> | unknown;
