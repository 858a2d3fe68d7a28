import * as v from 'valibot';
import type { RpcCaller } from '../ipc/rpc-client.ts';
import { validate } from '../ipc/validate.ts';

/**
 * The parts of the driver's `stats` result the HTTP server reads (DESIGN §4–§5). The queue
 * object is kept whole for /status; `methods` arrived later than the rest, so a driver
 * without it (or with a shape we do not know) simply has no per-method series.
 */

const Count = v.number();

const MethodStatsSchema = v.object({
  count: Count,
  failed: Count,
  sum_ms: v.number(),
  /** `counts[i]` is how many took at most `le[i]` ms (cumulative). */
  buckets: v.pipe(
    v.object({ le: v.array(v.number()), counts: v.array(Count) }),
    v.check((buckets) => buckets.counts.length >= buckets.le.length, 'counts must cover every le'),
  ),
});

export const DriverStatsSchema = v.object({
  queue: v.looseObject({
    depth: v.looseObject({ critical: Count, high: Count, normal: Count, low: Count }),
    rejected: Count,
    expired: Count,
  }),
  methods: v.fallback(v.optional(v.record(v.string(), MethodStatsSchema)), undefined),
});
export type DriverStats = v.InferOutput<typeof DriverStatsSchema>;
export type MethodStats = v.InferOutput<typeof MethodStatsSchema>;

export async function fetchDriverStats(driver: RpcCaller, timeoutMs: number): Promise<DriverStats> {
  const stats = await driver.call('stats', undefined, { timeoutMs });
  return validate(DriverStatsSchema, stats, { code: 'INTERNAL_ERROR', prefix: 'stats' });
}
