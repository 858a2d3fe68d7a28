import { RpcError } from '../../ipc/errors.ts';

/**
 * A statement stopped at its deadline fails with SQLITE_INTERRUPT (the sqlite-deadline
 * extension interrupts it; its changes are rolled back): the caller hears TIMEOUT.
 */

/** Milliseconds left until `deadline` (epoch ms) to arm a connection with; 0 without a deadline. */
export function remainingMs(deadline: number): number {
  return deadline > 0 ? Math.max(1, deadline - Date.now()) : 0;
}

export function stoppedAtDeadline(error: unknown): boolean {
  return error instanceof RpcError && error.data?.database_code === 'SQLITE_INTERRUPT';
}

/** `error` as the caller should hear it: TIMEOUT when the deadline stopped the statement. */
export function deadlineError(error: unknown, what: string): unknown {
  if (!stoppedAtDeadline(error)) return error;
  return new RpcError('TIMEOUT', `${what} ran past its deadline (timeout_ms) and was stopped; its changes were rolled back`, {
    database_code: 'SQLITE_INTERRUPT',
  });
}
