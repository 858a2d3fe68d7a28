import { RpcError } from './errors.ts';
import { type RequestId, RequestSchema, type RpcRequest } from './messages.ts';
import { describePath, MAX_NESTING_DEPTH, pathTooDeep } from './nesting.ts';
import { validate } from './validate.ts';

/**
 * The one reader of JSON-RPC requests, for the socket server and for HTTP `POST /rpc`
 * alike: the envelope is checked, and params nested deeper than the wire allows are
 * refused here, before anything could try to encode them again.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A frame's body as JSON; INVALID_REQUEST when it is not UTF-8 JSON. */
export function decodeMessage(body: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(body));
  } catch (error) {
    throw new RpcError('INVALID_REQUEST', `invalid JSON: ${(error as Error).message}`);
  }
}

export function parseRequest(message: unknown): RpcRequest {
  if (!isRecord(message)) throw new RpcError('INVALID_REQUEST', 'a request must be a JSON object');
  const request = validate(RequestSchema, message, { code: 'INVALID_REQUEST' });
  const tooDeep = pathTooDeep(request.params, MAX_NESTING_DEPTH);
  if (tooDeep) {
    const field = describePath('params', tooDeep);
    throw new RpcError('VALIDATION_ERROR', `${field}: nested deeper than ${MAX_NESTING_DEPTH} levels`, {
      field,
      max_depth: MAX_NESTING_DEPTH,
    });
  }
  return request;
}

/** Best effort: answer a malformed request under its own id when it has a usable one. */
export function salvageId(message: unknown): RequestId | null {
  const id = isRecord(message) ? message.id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
