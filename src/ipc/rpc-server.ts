import type { Runtime, SocketConnection, SocketServer } from '../runtime/types.ts';
import { ConnectionFlow, DEFAULT_FLOW_LIMITS, type FlowLimits } from './connection-flow.ts';
import { RpcError } from './errors.ts';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameDecoder } from './frame-codec.ts';
import { errorResponse, type RpcRequest, type RpcResponse, successResponse } from './messages.ts';
import { decodeMessage, parseRequest, salvageId } from './request-parser.ts';
import type { RpcHandler, ServerConnection } from './types.ts';

export type { RpcHandler, ServerConnection } from './types.ts';

export interface RpcServerOptions {
  socketPath: string;
  handler: RpcHandler;
  maxFrameBytes?: number;
  /** File mode of the socket; only the owner may connect by default. */
  socketMode?: number;
  /** Told of every failure that is not a protocol error (a bug): the caller gets INTERNAL_ERROR. */
  onUnexpectedError?: (error: unknown, request: RpcRequest) => void;
  /** What one connection may hold of the server (connection-flow.ts); defaults when not given. */
  limits?: Partial<FlowLimits>;
}

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
    const hangUp = (error: RpcError) => {
      // The stream cannot be resynchronised: answer, ignore anything that follows (it must
      // not run), and hang up.
      abandoned = true;
      flow.stop();
      socket.write(encodeFrame(errorResponse(null, error.toJSON())));
      socket.end();
    };
    const limits = { ...DEFAULT_FLOW_LIMITS, ...this.options.limits };
    const flow = new ConnectionFlow(socket, limits, () =>
      hangUp(new RpcError('INVALID_REQUEST', `a request frame did not arrive whole within ${limits.frameTimeoutMs} ms of its first byte`, { frame_timeout_ms: limits.frameTimeoutMs })),
    );
    // Whole frames read but not handed on yet because the connection is at a limit: at most
    // one read chunk's worth, since the socket is not read while they wait.
    let backlog: Uint8Array[] = [];
    let next = 0;
    const dispatch = () => {
      while (next < backlog.length && !abandoned && !flow.full) {
        const body = backlog[next]!;
        backlog[next++] = EMPTY;
        this.handleFrame(body, socket, connection, flow);
      }
      if (next >= backlog.length) {
        backlog = [];
        next = 0;
      }
    };
    flow.onReady(dispatch);
    socket.onClose(() => {
      flow.stop();
      backlog = [];
      next = 0;
    });
    socket.onData((chunk) => {
      if (abandoned) return;
      let bodies: Uint8Array[];
      try {
        bodies = frames.push(chunk);
      } catch (error) {
        hangUp(RpcError.from(error));
        return;
      }
      flow.received(frames.pendingBytes > 0, bodies.length);
      if (bodies.length === 0) return;
      if (next >= backlog.length) backlog = bodies;
      else for (const body of bodies) backlog.push(body);
      dispatch();
    });
  }

  private handleFrame(body: Uint8Array, socket: SocketConnection, connection: ServerConnection, flow: ConnectionFlow): void {
    let message: unknown = null;
    let request: RpcRequest;
    try {
      message = decodeMessage(body);
      request = parseRequest(message);
    } catch (error) {
      send(socket, errorResponse(salvageId(message), RpcError.from(error).toJSON()));
      return;
    }
    const fail = (error: unknown) => {
      if (!(error instanceof RpcError)) this.options.onUnexpectedError?.(error, request);
      const wire = RpcError.from(error).toJSON();
      if (!send(socket, errorResponse(request.id, wire))) send(socket, errorResponse(request.id, { code: wire.code, message: wire.message }));
    };
    const respond = (result: unknown) => {
      // A result that cannot be encoded (a bug, or a value too deep to stringify) is an
      // error answer on its own request, never a crash of the server.
      if (!send(socket, successResponse(request.id, result))) {
        fail(new RpcError('INTERNAL_ERROR', `${request.method}: the result could not be encoded`));
      }
    };
    flow.started();
    let outcome: Promise<unknown> | unknown;
    try {
      outcome = this.options.handler(request, connection);
    } catch (error) {
      fail(error);
      flow.answered();
      return;
    }
    Promise.resolve(outcome)
      .then(respond, fail)
      .finally(() => flow.answered());
  }
}

const EMPTY = new Uint8Array(0);

/** Write one response; false when it could not be encoded (nothing was written then). */
function send(socket: SocketConnection, response: RpcResponse): boolean {
  let frame: Uint8Array;
  try {
    frame = encodeFrame(response);
  } catch {
    return false;
  }
  if (!socket.closed) socket.write(frame);
  return true;
}
