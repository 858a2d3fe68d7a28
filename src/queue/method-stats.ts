/** Upper bounds (ms) of the latency histogram; +Inf is implied by `count`. */
export const LATENCY_BUCKETS_MS: readonly number[] = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

export interface MethodStatsEntry {
  count: number;
  failed: number;
  sum_ms: number;
  /** Cumulative, as Prometheus wants it: `counts[i]` requests took at most `le[i]` ms. */
  buckets: { le: number[]; counts: number[] };
}

interface Tally {
  count: number;
  failed: number;
  sumMs: number;
  /** Per bucket, not cumulative: made cumulative in the snapshot. */
  hits: number[];
}

/**
 * Requests per method: how many were answered, how many with an error, and how long they
 * took from arrival to answer, as a fixed-bucket histogram (for /metrics).
 */
export class MethodStats {
  private readonly tallies = new Map<string, Tally>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  record(method: string, latencyMs: number, ok: boolean): void {
    let tally = this.tallies.get(method);
    if (!tally) {
      tally = { count: 0, failed: 0, sumMs: 0, hits: LATENCY_BUCKETS_MS.map(() => 0) };
      this.tallies.set(method, tally);
    }
    tally.count++;
    if (!ok) tally.failed++;
    tally.sumMs += latencyMs;
    const bucket = LATENCY_BUCKETS_MS.findIndex((le) => latencyMs <= le);
    if (bucket >= 0) tally.hits[bucket]!++;
  }

  /**
   * Run `work` (which may answer at once, throw, or return a promise) and record its
   * outcome and latency under `method` when it settles; its result passes through unchanged.
   */
  track<T>(method: string, work: () => T | Promise<T>): T | Promise<T> {
    const started = this.now();
    const settle = (ok: boolean) => this.record(method, this.now() - started, ok);
    let outcome: T | Promise<T>;
    try {
      outcome = work();
    } catch (error) {
      settle(false);
      throw error;
    }
    if (!(outcome instanceof Promise)) {
      settle(true);
      return outcome;
    }
    return outcome.then(
      (value) => {
        settle(true);
        return value;
      },
      (error: unknown) => {
        settle(false);
        throw error;
      },
    );
  }

  snapshot(): Record<string, MethodStatsEntry> {
    const methods: Record<string, MethodStatsEntry> = {};
    for (const [method, tally] of this.tallies) {
      let running = 0;
      methods[method] = {
        count: tally.count,
        failed: tally.failed,
        sum_ms: Math.round(tally.sumMs * 1000) / 1000,
        buckets: { le: [...LATENCY_BUCKETS_MS], counts: tally.hits.map((hits) => (running += hits)) },
      };
    }
    return methods;
  }
}
