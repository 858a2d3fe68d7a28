import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS, MethodStats } from '../../src/queue/method-stats.ts';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('MethodStats', () => {
  it('counts requests, failures and latency per method', () => {
    const stats = new MethodStats();
    stats.record('select', 3, true);
    stats.record('select', 7.5, false);
    stats.record('insert', 0.25, true);
    const snapshot = stats.snapshot();
    expect(snapshot.select).toMatchObject({ count: 2, failed: 1, sum_ms: 10.5 });
    expect(snapshot.insert).toMatchObject({ count: 1, failed: 0, sum_ms: 0.25 });
    expect(Object.keys(snapshot).sort()).toEqual(['insert', 'select']);
  });

  it('keeps a cumulative histogram over the fixed bounds, bounds inclusive', () => {
    const stats = new MethodStats();
    for (const latency of [0.5, 1, 1.01, 5, 30, 999, 10_000, 60_000]) stats.record('m', latency, true);
    const { buckets, count } = stats.snapshot().m!;
    expect(buckets.le).toEqual([1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]);
    expect(buckets.le).toEqual(LATENCY_BUCKETS_MS);
    // ≤1: 0.5, 1 | ≤5: +1.01, 5 | ≤50: +30 | ≤1000: +999 | ≤10000: +10000 | 60000 only in count (+Inf)
    expect(buckets.counts).toEqual([2, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 7]);
    expect(count).toBe(8);
    for (let i = 1; i < buckets.counts.length; i++) expect(buckets.counts[i]).toBeGreaterThanOrEqual(buckets.counts[i - 1]!);
  });

  it('a snapshot is a copy: recording later does not change it', () => {
    const stats = new MethodStats();
    stats.record('ping', 1, true);
    const before = stats.snapshot();
    stats.record('ping', 1, true);
    expect(before.ping!.count).toBe(1);
    expect(stats.snapshot().ping!.count).toBe(2);
    before.ping!.buckets.le.push(99);
    expect(stats.snapshot().ping!.buckets.le).toHaveLength(12);
  });

  it('track times an answer given at once, and a throw as a failure', () => {
    const clock = manualClock();
    const stats = new MethodStats(clock.now);
    expect(
      stats.track('ping', () => {
        clock.advance(2);
        return 'pong';
      }),
    ).toBe('pong');
    expect(() =>
      stats.track('stats', () => {
        clock.advance(30);
        throw new Error('bad params');
      }),
    ).toThrow('bad params');
    const snapshot = stats.snapshot();
    expect(snapshot.ping).toMatchObject({ count: 1, failed: 0, sum_ms: 2 });
    expect(snapshot.stats).toMatchObject({ count: 1, failed: 1, sum_ms: 30 });
    expect(snapshot.stats!.buckets.counts.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(snapshot.stats!.buckets.counts[4]).toBe(1);
  });

  it('track times a promise from the call to its settling, and passes its outcome through', async () => {
    const clock = manualClock();
    const stats = new MethodStats(clock.now);
    let finish!: (value: string) => void;
    const answered = stats.track('select', () => new Promise<string>((resolve) => (finish = resolve)));
    expect(stats.snapshot().select).toBeUndefined();
    clock.advance(120);
    finish('rows');
    await expect(answered).resolves.toBe('rows');
    const failing = stats.track('insert', async () => {
      clock.advance(4);
      throw new Error('constraint');
    });
    await expect(failing).rejects.toThrow('constraint');
    const snapshot = stats.snapshot();
    expect(snapshot.select).toMatchObject({ count: 1, failed: 0, sum_ms: 120 });
    expect(snapshot.select!.buckets.counts.slice(5, 7)).toEqual([0, 1]);
    expect(snapshot.insert).toMatchObject({ count: 1, failed: 1, sum_ms: 4 });
  });

  it('defaults to the performance clock', async () => {
    const stats = new MethodStats();
    await stats.track('wait', () => new Promise((resolve) => setTimeout(resolve, 5)));
    expect(stats.snapshot().wait!.sum_ms).toBeGreaterThan(0);
  });
});
