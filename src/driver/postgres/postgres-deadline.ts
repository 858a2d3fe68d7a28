import { RpcError } from '../../ipc/errors.ts';
import type { PgQuery, PgQueryable, PgResult } from './postgres-client.ts';

/**
 * A request's deadline on PostgreSQL: each of its statements is cancelled on the server
 * (postgres.js sends a cancel request) when the deadline passes, and the caller hears
 * TIMEOUT. The session's statement_timeout (the queue's default) stays as the backstop
 * that also stops a statement whose driver died.
 */
export function withDeadline(via: PgQueryable, deadline: number, what: string): PgQueryable {
  if (deadline <= 0) return via;
  return {
    unsafe(sql, params, options) {
      const query = via.unsafe(sql, params, options);
      let stopped = false;
      const timer = setTimeout(
        () => {
          stopped = true;
          query.cancel();
        },
        Math.max(0, deadline - Date.now()),
      );
      const settled = query.then(
        (result: PgResult) => {
          clearTimeout(timer);
          return result;
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (!stopped) throw error;
          throw new RpcError('TIMEOUT', `${what} ran past its deadline (timeout_ms) and was cancelled on the server; its changes were rolled back`, {
            database_code: '57014',
          });
        },
      );
      return Object.assign(settled, { cancel: () => query.cancel() }) as PgQuery;
    },
  };
}
