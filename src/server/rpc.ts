import type { Context } from 'hono';
import type { RpcAccess } from '../config/schema.ts';
import { RpcError } from '../ipc/errors.ts';
import { errorResponse } from '../ipc/messages.ts';
import { rpcAccessOf } from './app-env.ts';
import { dispatchRpc, type RpcTargets } from './rpc-dispatch.ts';

/** Most requests one JSON-RPC batch (a JSON array) may carry. */
export const MAX_BATCH_REQUESTS = 1000;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `POST /rpc`: JSON-RPC 2.0 over HTTP. A JSON array is a JSON-RPC batch: its requests are
 * independent and answered in one array (unlike the `batch` method, it is not atomic).
 * HTTP 400 only for a body that is not JSON; JSON-RPC errors travel in a 200. What each
 * request may do is `configured` (server.rpc), capped by the caller's token.
 */
export function rpcHandler(shared: Omit<RpcTargets, 'access'>, configured: RpcAccess, onUnexpectedError: (error: unknown) => void) {
  return async (c: Context): Promise<Response> => {
    const targets: RpcTargets = { ...shared, access: rpcAccessOf(c.get('role'), configured) };
    let message: unknown;
    try {
      message = JSON.parse(utf8.decode(await c.req.arrayBuffer()));
    } catch (error) {
      const parseError = new RpcError('INVALID_REQUEST', `invalid JSON: ${(error as Error).message}`);
      return c.json(errorResponse(null, parseError.toJSON()), 400);
    }
    if (!Array.isArray(message)) return c.json(await dispatchRpc(targets, message, onUnexpectedError));
    if (message.length === 0 || message.length > MAX_BATCH_REQUESTS) {
      const sizeError = new RpcError('INVALID_REQUEST', `a batch must hold 1 to ${MAX_BATCH_REQUESTS} requests, got ${message.length}`);
      return c.json(errorResponse(null, sizeError.toJSON()));
    }
    return c.json(await Promise.all(message.map((entry) => dispatchRpc(targets, entry, onUnexpectedError))));
  };
}

/** The 413 answer of the body limit, in the JSON-RPC shape clients of /rpc expect. */
export function bodyTooLarge(maxBytes: number) {
  return (c: Context): Response => {
    const error = new RpcError('INVALID_REQUEST', `the request body exceeds ${maxBytes} bytes`, { max_bytes: maxBytes });
    return c.json(errorResponse(null, error.toJSON()), 413);
  };
}
