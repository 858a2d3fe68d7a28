import type { LoopCounts } from './timed-loop.ts';

/**
 * Every count the bench uses, in one place and printed with the report. Sized so the
 * whole run stays well under two minutes on a 2-core machine shared with other work.
 */
export const SETTINGS = {
  /** Single-call series (point select, ping, autocommit insert). */
  sequential: { warmup: 300, ops: 3000 } satisfies LoopCounts,
  /** Read series (point select, ping): a longer warm-up, so the driver's read path is optimized before it is timed. */
  sequentialReads: { warmup: 2000, ops: 3000 } satisfies LoopCounts,
  /** Rows the point selects read from. */
  preloadRows: 10_000,
  clientProcesses: 8,
  /** Row 2: each client process inserts this many rows, one call in flight. */
  rowsPerClient: 500,
  /**
   * insert_many: rows per call; calls measured after ten warm-up calls (both sides), as the
   * read series warm up: the driver's bulk path is optimized by V8 only after several calls
   * (26–40 ms per call before, 15–17 ms after), and a server that indexes is warm.
   */
  bulk: { rows: 10_000, calls: { warmup: 10, ops: 5 } satisfies LoopCounts },
  /** Group commit: the same load against both drivers. */
  groupCommit: { callersPerClient: 8, rowsPerClient: 1000, driverWarmupInserts: 300 },
  /** Point selects from the client processes at once: each reads this many, one call in flight. */
  concurrentSelectsPerClient: 3000,
  /** The statement that runs on one connection while another one pings, and how long it runs. */
  longStatementMs: 3000,
  /** vector_search: int8 vectors in the searched project (and others the `where` leaves out), their dimension, top k, queries timed. */
  vectorSearch: { vectors: 50_000, otherVectors: 10_000, dimensions: 192, limit: 10, queries: { warmup: 3, ops: 30 } satisfies LoopCounts },
};

export type BenchSettings = typeof SETTINGS;
