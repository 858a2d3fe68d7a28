import { operationError, operationParams } from '../batch.ts';
import type { BatchInput } from '../params.ts';
import type { PgQueryable } from './postgres-client.ts';
import { toRpcError } from './postgres-errors.ts';
import type { PostgresRows } from './postgres-rows.ts';

/** The row method of each batch operation. */
const OPERATIONS = { insert: 'insert', insert_many: 'insertMany', update: 'update', delete: 'delete', select: 'select', execute: 'execute' } as const;

/** One operation of a batch (or of a group) on `via`, by the row method its name stands for. */
export function runOperation(rows: PostgresRows, method: keyof typeof OPERATIONS, params: unknown, via: PgQueryable): Promise<unknown> {
  return (rows[OPERATIONS[method]] as (params: unknown, via: PgQueryable) => Promise<unknown>).call(rows, params, via);
}

/** A batch's operations in order on one connection; a failure says which operation failed. */
export async function runOperations(rows: PostgresRows, input: BatchInput, via: PgQueryable): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const [index, operation] of input.operations.entries()) {
    try {
      out.push(await runOperation(rows, operation.method, operationParams(operation, input), via));
    } catch (error) {
      throw operationError(error, index, operation.method, toRpcError);
    }
  }
  return out;
}
