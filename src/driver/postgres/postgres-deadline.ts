import { RpcError } from '../../ipc/errors.ts';
import type { PgQuery, PgQueryable, PgResult } from './postgres-client.ts';

/**
 * A request's deadline on PostgreSQL: each of its statements is cancelled on the server
 * (postgres.js sends a cancel request) when the deadline passes, and the caller hears
 * TIMEOUT. The session's statement_timeout (the queue's default) stays as the backstop
 * that also stops a statement whose driver died.
 *
 * One timer watches every running statement, armed for the earliest deadline: a timer per
 * statement, each of its own length, cost Node a timer list made and dropped per query,
 * several microseconds of a point select that takes about thirty.
 */
interface Watched {
  deadline: number;
  query: PgQuery;
  stopped: boolean;
}

const running = new Set<Watched>();
let timer: ReturnType<typeof setTimeout> | undefined;
let armedFor = Infinity;

function arm(deadline: number): void {
  if (timer !== undefined && armedFor <= deadline) return;
  if (timer !== undefined) clearTimeout(timer);
  armedFor = deadline;
  timer = setTimeout(expire, Math.max(0, deadline - Date.now()));
  // Never what keeps a process alive: the statement it watches does that.
  (timer as { unref?: () => void }).unref?.();
}

function expire(): void {
  timer = undefined;
  armedFor = Infinity;
  const now = Date.now();
  let next = Infinity;
  for (const watched of running) {
    if (watched.deadline <= now) {
      running.delete(watched);
      watched.stopped = true;
      watched.query.cancel();
    } else next = Math.min(next, watched.deadline);
  }
  if (next < Infinity) arm(next);
}

export function withDeadline(via: PgQueryable, deadline: number, what: string): PgQueryable {
  if (deadline <= 0) return via;
  return {
    unsafe(sql, params, options) {
      const query = via.unsafe(sql, params, options);
      const watched: Watched = { deadline, query, stopped: false };
      running.add(watched);
      arm(deadline);
      const settled = query.then(
        (result: PgResult) => {
          running.delete(watched);
          return result;
        },
        (error: unknown) => {
          running.delete(watched);
          if (!watched.stopped) throw error;
          throw new RpcError('TIMEOUT', `${what} ran past its deadline (timeout_ms) and was cancelled on the server; its changes were rolled back`, {
            database_code: '57014',
          });
        },
      );
      return Object.assign(settled, { cancel: () => query.cancel() }) as PgQuery;
    },
  };
}
