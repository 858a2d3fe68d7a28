/** Timing figures of one measured series, in the units the report uses. */
export interface Summary {
  ops: number;
  ops_per_s: number;
  mean_us: number;
  p50_us: number;
  p99_us: number;
}

export interface Ratio {
  /** candidate ops/s ÷ baseline ops/s: below 1 is slower than the baseline. */
  throughput_ratio: number;
  /** candidate mean latency ÷ baseline mean latency: above 1 is slower. */
  latency_ratio?: number;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** Summarise per-op latencies (µs) of `ops` operations that took `elapsedNs` of wall time. */
export function summarize(latenciesUs: ArrayLike<number>, elapsedNs: bigint | number): Summary {
  const sorted = Float64Array.from(latenciesUs).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const rate = sorted.length / (Number(elapsedNs) / 1e9);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return {
    ops: sorted.length,
    ops_per_s: rate >= 100 ? Math.round(rate) : round(rate, 2),
    mean_us: round(mean, 2),
    p50_us: round(at(0.5), 2),
    p99_us: round(at(0.99), 2),
  };
}

export function ratio(candidate: Summary, baseline: Summary, withLatency = true): Ratio {
  const throughput_ratio = round(candidate.ops_per_s / baseline.ops_per_s, 4);
  return withLatency ? { throughput_ratio, latency_ratio: round(candidate.mean_us / baseline.mean_us, 2) } : { throughput_ratio };
}
