import type { Runtime, SocketConnection, SocketServer } from '../runtime/types.ts';
import { RpcError } from './errors.ts';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameDecoder } from './frame-codec.ts';
import { errorResponse, RequestSchema, type RequestId, type RpcRequest, successResponse } from './messages.ts';
import { validate } from './validate.ts';

/** One accepted client connection, as the request handler sees it. */
export interface ServerConnection {
  /** Unique per server; request ids are scoped to it. */
  readonly id: number;
  readonly closed: boolean;
  onClose(listener: () => void): void;
}

export type RpcHandler = (request: RpcRequest, connection: ServerConnection) => Promise<unknown> | unknown;

export interface RpcServerOptions {
  socketPath: string;
  handler: RpcHandler;
  maxFrameBytes?: number;
  /** File mode of the socket; only the owner may connect by default. */
  socketMode?: number;
  /** Told of every failure that is not a protocol error (a bug): the caller gets INTERNAL_ERROR. */
  onUnexpectedError?: (error: unknown, request: RpcRequest) => void;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Serves length-prefixed JSON-RPC on a Unix socket. Requests are handed to the handler as
 * they arrive (pipelined); each response is written when its handler settles, so responses
 * may leave in a different order than requests came.
 */
export class RpcServer {
  private server: SocketServer | null = null;
  private readonly connections = new Set<SocketConnection>();
  private nextConnectionId = 1;

  constructor(
    private readonly runtime: Runtime,
    private readonly options: RpcServerOptions,
  ) {}

  async listen(): Promise<void> {
    this.server = await this.runtime.listenUnix(this.options.socketPath, (socket) => this.accept(socket));
    await this.runtime.fs.chmod(this.options.socketPath, this.options.socketMode ?? 0o600);
  }

  /** Stop accepting new connections; open ones keep being served. */
  async stopAccepting(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
  }

  /** Close every open connection. */
  closeConnections(): void {
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  private accept(socket: SocketConnection): void {
    this.connections.add(socket);
    const frames = new FrameDecoder(this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    const closeListeners: Array<() => void> = [];
    const connection: ServerConnection = {
      id: this.nextConnectionId++,
      get closed() {
        return socket.closed;
      },
      onClose: (listener) => {
        closeListeners.push(listener);
      },
    };
    socket.onClose(() => {
      this.connections.delete(socket);
      for (const listener of closeListeners) listener();
    });
    let abandoned = false;
    socket.onData((chunk) => {
      if (abandoned) return;
      let bodies: Uint8Array[];
      try {
        bodies = frames.push(chunk);
      } catch (error) {
        // The stream cannot be resynchronised after a bad header: answer, ignore anything
        // that follows (it must not run), and hang up.
        abandoned = true;
        socket.write(encodeFrame(errorResponse(null, RpcError.from(error).toJSON())));
        socket.end();
        return;
      }
      for (const body of bodies) this.handleFrame(body, socket, connection);
    });
  }

  private handleFrame(body: Uint8Array, socket: SocketConnection, connection: ServerConnection): void {
    let request: RpcRequest;
    try {
      request = parseRequest(body);
    } catch (error) {
      const rpcError = RpcError.from(error);
      socket.write(encodeFrame(errorResponse(salvageId(body), rpcError.toJSON())));
      return;
    }
    const respond = (response: ReturnType<typeof successResponse>) => {
      if (!socket.closed) socket.write(encodeFrame(response));
    };
    const fail = (error: unknown) => {
      if (!(error instanceof RpcError)) this.options.onUnexpectedError?.(error, request);
      respond(errorResponse(request.id, RpcError.from(error).toJSON()));
    };
    let outcome: Promise<unknown> | unknown;
    try {
      outcome = this.options.handler(request, connection);
    } catch (error) {
      fail(error);
      return;
    }
    Promise.resolve(outcome).then((result) => respond(successResponse(request.id, result)), fail);
  }
}

function parseRequest(body: Uint8Array): RpcRequest {
  let message: unknown;
  try {
    message = JSON.parse(decoder.decode(body));
  } catch (error) {
    throw new RpcError('INVALID_REQUEST', `invalid JSON: ${(error as Error).message}`);
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new RpcError('INVALID_REQUEST', 'a request must be a JSON object');
  }
  return validate(RequestSchema, message, { code: 'INVALID_REQUEST' });
}

/** Best effort: answer a malformed request under its own id when it has a usable one. */
function salvageId(body: Uint8Array): RequestId | null {
  try {
    const id = (JSON.parse(decoder.decode(body)) as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}
