import { type Summary, summarize } from './summary.ts';

/** Warm-up calls (JIT, statement caches, socket buffers) run first and are not counted. */
export interface LoopCounts {
  warmup: number;
  ops: number;
}

/**
 * Time `op` called one at a time. Separate from `timeAsync` so the in-process baseline
 * pays no promise/microtask cost that better-sqlite3 itself does not have.
 */
export function timeSync(op: (i: number) => unknown, counts: LoopCounts): Summary {
  for (let i = 0; i < counts.warmup; i++) op(i);
  const latencies = new Float64Array(counts.ops);
  const start = process.hrtime.bigint();
  for (let i = 0; i < counts.ops; i++) {
    const before = process.hrtime.bigint();
    op(counts.warmup + i);
    latencies[i] = Number(process.hrtime.bigint() - before) / 1000;
  }
  return summarize(latencies, process.hrtime.bigint() - start);
}

/** Time `op` with exactly one call outstanding at a time. */
export async function timeAsync(op: (i: number) => Promise<unknown>, counts: LoopCounts): Promise<Summary> {
  for (let i = 0; i < counts.warmup; i++) await op(i);
  const latencies = new Float64Array(counts.ops);
  const start = process.hrtime.bigint();
  for (let i = 0; i < counts.ops; i++) {
    const before = process.hrtime.bigint();
    await op(counts.warmup + i);
    latencies[i] = Number(process.hrtime.bigint() - before) / 1000;
  }
  return summarize(latencies, process.hrtime.bigint() - start);
}
