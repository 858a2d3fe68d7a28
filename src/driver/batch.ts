import { RpcError } from '../ipc/errors.ts';
import type { BatchInput, BatchOperationInput } from './params.ts';

/**
 * What both engines do alike for `batch`: each operation runs with the batch's
 * transaction, in order, and the first failure fails the batch naming the operation.
 */

/** An operation's params with the batch's transaction, as its method takes them. */
export function operationParams(operation: BatchOperationInput, batch: BatchInput): BatchOperationInput['params'] & { transaction_id?: string } {
  return batch.transaction_id === undefined ? operation.params : { ...operation.params, transaction_id: batch.transaction_id };
}

/** An operation's failure as the batch's: `operations[i] (method): …`, its field under `operations[i].params`. */
export function operationError(error: unknown, index: number, method: string, mapError: (error: unknown) => RpcError = RpcError.from): RpcError {
  const cause = mapError(error);
  return new RpcError(cause.codeName, `operations[${index}] (${method}): ${cause.message}`, {
    ...cause.data,
    index,
    field: `operations[${index}].params${cause.data?.field ? `.${cause.data.field}` : ''}`,
  });
}
