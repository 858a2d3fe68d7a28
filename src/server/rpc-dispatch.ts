import type { RpcAccess } from '../config/schema.ts';
import type { SqlDialectName } from '../driver/sql/sql-lexer.ts';
import { METHODS } from '../driver/methods.ts';
import { RpcError } from '../ipc/errors.ts';
import { errorResponse, type RpcRequest, type RpcResponse, successResponse } from '../ipc/messages.ts';
import { parseRequest, salvageId } from '../ipc/request-parser.ts';
import type { RpcCaller } from '../ipc/rpc-client.ts';
import { validate } from '../ipc/validate.ts';
import type { CodeTools } from '../tools/context.ts';
import { isCodeCommand, runCodeCommand } from '../tools/registry.ts';
import { authorizeRpc } from './rpc-policy.ts';

const TRANSACTIONS_OVER_HTTP =
  'transactions are bound to a driver connection, which HTTP requests do not keep; use "batch" to run several operations atomically';

/** Methods whose effect belongs to the one driver connection that every HTTP request shares. */
const CONNECTION_BOUND: Readonly<Record<string, string>> = {
  begin_transaction: TRANSACTIONS_OVER_HTTP,
  commit_transaction: TRANSACTIONS_OVER_HTTP,
  rollback_transaction: TRANSACTIONS_OVER_HTTP,
  hello: 'hello names a driver connection, which HTTP requests share; set "priority" on each request instead',
};

/** What POST /rpc reaches: the driver's methods, and the code commands over the index. */
export interface RpcTargets {
  driver: RpcCaller;
  code: () => CodeTools | undefined;
  /** What this caller may do (rpc-policy.ts). */
  access: RpcAccess;
  /** How the database reads raw SQL, for telling reads from writes at `read` access. */
  sqlDialect: SqlDialectName;
}

/**
 * Answer one JSON-RPC request received over HTTP: the envelope and params are validated as
 * the driver would (so bad input never reaches it), then the call is forwarded with its
 * priority and deadline, or answered from the index for a code command. Never throws:
 * every failure is a JSON-RPC error response.
 */
export async function dispatchRpc(targets: RpcTargets, message: unknown, onUnexpectedError: (error: unknown) => void): Promise<RpcResponse> {
  let request: RpcRequest;
  try {
    request = parseRequest(message);
  } catch (error) {
    return errorResponse(salvageId(message), RpcError.from(error).toJSON());
  }
  try {
    authorizeRpc(request.method, request.params, targets.access, targets.sqlDialect);
    if (isCodeCommand(request.method)) return successResponse(request.id, await runCodeCommand(targets.code(), request.method, request.params, 'params'));
    admit(request);
    const result = await targets.driver.call(request.method, request.params, { priority: request.priority, timeoutMs: request.timeout_ms });
    return successResponse(request.id, result);
  } catch (error) {
    if (!(error instanceof RpcError)) onUnexpectedError(error);
    return errorResponse(request.id, RpcError.from(error).toJSON());
  }
}

function admit(request: RpcRequest): void {
  // Own keys only: `toString` and friends are not methods.
  const spec = Object.hasOwn(METHODS, request.method) ? METHODS[request.method] : undefined;
  if (!spec) throw new RpcError('INVALID_REQUEST', `unknown method "${request.method}"`, { method: request.method });
  const refusal = CONNECTION_BOUND[request.method];
  if (refusal) throw new RpcError('INVALID_REQUEST', `${request.method} is not available over HTTP: ${refusal}`, { method: request.method });
  if (request.params && 'transaction_id' in request.params) {
    throw new RpcError('INVALID_REQUEST', `params.transaction_id: ${TRANSACTIONS_OVER_HTTP}`, { field: 'params.transaction_id' });
  }
  if (request.params && 'backup_dir' in request.params) {
    // A path chosen by an HTTP caller would let it write database copies anywhere the server can.
    throw new RpcError('INVALID_REQUEST', 'params.backup_dir is not accepted over HTTP: the server backs up into its own backup directory', {
      field: 'params.backup_dir',
    });
  }
  validate(spec.params, request.params, { prefix: 'params' });
}
