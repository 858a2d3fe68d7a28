import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError } from '../../src/ipc/errors.ts';
import { SampleWindow } from '../../src/queue/percentiles.ts';
import { PRIORITIES, PRIORITY_RANK, type Priority } from '../../src/queue/priority.ts';
import { QueueStats } from '../../src/queue/queue-stats.ts';
import { type OfferOptions, RequestQueue } from '../../src/queue/request-queue.ts';

/** A clock the test moves by hand. */
class FakeClock {
  constructor(public time = 1_000) {}
  now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

const FAR = Number.MAX_SAFE_INTEGER;

function setup(options: { maxSize?: number; agingMs?: number } = {}) {
  const clock = new FakeClock();
  const queue = new RequestQueue<string>({ maxSize: options.maxSize ?? 100, agingMs: options.agingMs, now: clock.now });
  const offer = (item: string, priority: Priority = 'normal', extra: Partial<OfferOptions> = {}) =>
    queue.offer(item, { priority, deadline: FAR, client: 'test', ...extra });
  const takeAll = (eligible?: (item: string) => boolean): string[] => {
    const out: string[] = [];
    for (let entry = queue.take(eligible); entry; entry = queue.take(eligible)) out.push(entry.item);
    return out;
  };
  return { clock, queue, offer, takeAll };
}

describe('priorities', () => {
  it('ranks critical > high > normal > low', () => {
    expect(PRIORITIES).toEqual(['critical', 'high', 'normal', 'low']);
    expect(PRIORITY_RANK.critical).toBeGreaterThan(PRIORITY_RANK.high);
    expect(PRIORITY_RANK.high).toBeGreaterThan(PRIORITY_RANK.normal);
    expect(PRIORITY_RANK.normal).toBeGreaterThan(PRIORITY_RANK.low);
  });
});

describe('RequestQueue: order', () => {
  it('takes in strict priority order when nothing has waited', () => {
    const { queue, offer, takeAll } = setup();
    offer('low', 'low');
    offer('normal', 'normal');
    offer('high', 'high');
    offer('critical', 'critical');
    expect(queue.size).toBe(4);
    expect(takeAll()).toEqual(['critical', 'high', 'normal', 'low']);
    expect(queue.size).toBe(0);
    expect(queue.take()).toBeUndefined();
  });

  it('is FIFO within a priority', () => {
    const { clock, offer, takeAll } = setup();
    for (let i = 0; i < 5; i++) {
      offer(`n${i}`, 'normal');
      offer(`h${i}`, 'high');
      clock.advance(1);
    }
    expect(takeAll()).toEqual(['h0', 'h1', 'h2', 'h3', 'h4', 'n0', 'n1', 'n2', 'n3', 'n4']);
  });

  it('is FIFO within a priority even for entries offered at the same instant', () => {
    const { offer, takeAll } = setup();
    for (const item of ['a', 'b', 'c', 'd']) offer(item, 'low');
    expect(takeAll()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('returns the entry with its metadata and marks it settled', () => {
    const { clock, queue, offer } = setup();
    const offered = offer('x', 'high', { client: 'alice', deadline: 5_000 });
    expect(offered).toMatchObject({ item: 'x', priority: 'high', client: 'alice', enqueuedAt: clock.time, deadline: 5_000, settled: false });
    const taken = queue.take();
    expect(taken).toBe(offered);
    expect(taken!.settled).toBe(true);
  });

  it('interleaves new offers with takes correctly', () => {
    const { queue, offer } = setup();
    offer('n1', 'normal');
    offer('l1', 'low');
    expect(queue.take()!.item).toBe('n1');
    offer('c1', 'critical');
    offer('n2', 'normal');
    expect(queue.take()!.item).toBe('c1');
    expect(queue.take()!.item).toBe('n2');
    expect(queue.take()!.item).toBe('l1');
    expect(queue.take()).toBeUndefined();
  });
});

describe('RequestQueue: aging', () => {
  it('takes a low entry that waited agingMs × (rank difference) before a fresh high one', () => {
    const { clock, queue, offer } = setup({ agingMs: 100 });
    offer('old-low', 'low');
    clock.advance(2 * 100); // low (rank 0) has aged by two ranks: level with high (rank 2)
    offer('fresh-high', 'high');
    expect(queue.take()!.item).toBe('old-low'); // a tie goes to the one that waited longer
    expect(queue.take()!.item).toBe('fresh-high');
  });

  it('still prefers the fresh high entry a moment before the low one has aged enough', () => {
    const { clock, queue, offer } = setup({ agingMs: 100 });
    offer('old-low', 'low');
    clock.advance(2 * 100 - 1);
    offer('fresh-high', 'high');
    expect(queue.take()!.item).toBe('fresh-high');
    expect(queue.take()!.item).toBe('old-low');
  });

  it('lets a low entry overtake even critical work after waiting long enough', () => {
    const { clock, queue, offer } = setup({ agingMs: 50 });
    offer('starving', 'low');
    clock.advance(3 * 50 + 1);
    offer('c1', 'critical');
    offer('c2', 'critical');
    expect(queue.take()!.item).toBe('starving');
    expect(queue.take()!.item).toBe('c1');
  });

  it('defaults to aging by one rank per second', () => {
    const early = setup();
    early.offer('normal-old', 'normal');
    early.clock.advance(999);
    early.offer('high-new', 'high');
    expect(early.queue.take()!.item).toBe('high-new');

    const late = setup();
    late.offer('normal-old', 'normal');
    late.clock.advance(1000);
    late.offer('high-new', 'high');
    expect(late.queue.take()!.item).toBe('normal-old');
  });


  it('breaks an exact score tie between different priorities by age', () => {
    const { clock, queue, offer } = setup({ agingMs: 10 });
    offer('normal', 'normal');
    clock.advance(10); // normal: 1 + 1 = 2; fresh high: 2
    offer('high', 'high');
    expect(queue.take()!.item).toBe('normal');
  });
});

describe('RequestQueue: eligibility', () => {
  it('skips ineligible entries and keeps them, in order, for later', () => {
    const { queue, offer, takeAll } = setup();
    offer('w1', 'high');
    offer('r1', 'high');
    offer('w2', 'high');
    offer('r2', 'normal');
    offer('w3', 'low');
    const readsOnly = (item: string) => item.startsWith('r');
    expect(queue.take(readsOnly)!.item).toBe('r1');
    expect(queue.take(readsOnly)!.item).toBe('r2');
    expect(queue.take(readsOnly)).toBeUndefined();
    expect(queue.size).toBe(3);
    expect(takeAll()).toEqual(['w1', 'w2', 'w3']);
  });

  it('finds the oldest eligible entry of a lane behind ineligible ones', () => {
    const { queue, offer } = setup();
    for (let i = 0; i < 10; i++) offer(`blocked${i}`, 'critical');
    offer('ok-normal', 'normal');
    offer('ok-critical', 'critical');
    const eligible = (item: string) => item.startsWith('ok');
    expect(queue.take(eligible)!.item).toBe('ok-critical');
    expect(queue.take(eligible)!.item).toBe('ok-normal');
    expect(queue.snapshot().depth).toMatchObject({ critical: 10, normal: 0, total: 10 });
  });

  it('lets aging apply to the eligible entries only', () => {
    const { clock, queue, offer } = setup({ agingMs: 10 });
    offer('old-blocked', 'low');
    offer('old-ok', 'low');
    clock.advance(50);
    offer('fresh', 'critical');
    expect(queue.take((item) => item !== 'old-blocked')!.item).toBe('old-ok');
  });
});

describe('RequestQueue: deadlines', () => {
  it('never returns an entry past its deadline from take()', () => {
    const { clock, queue, offer, takeAll } = setup();
    offer('soon', 'critical', { deadline: clock.time + 10 });
    offer('later', 'low', { deadline: clock.time + 1000 });
    clock.advance(10); // a deadline equal to now has passed
    expect(takeAll()).toEqual(['later']);
    // the expired entry still waits until expire() collects it
    expect(queue.size).toBe(1);
    expect(queue.expire().map((e) => e.item)).toEqual(['soon']);
    expect(queue.size).toBe(0);
  });

  it('expire() returns exactly the entries past their deadline and counts them', () => {
    const { clock, queue, offer } = setup();
    const t0 = clock.time;
    offer('a', 'high', { deadline: t0 + 5, client: 'alice' });
    offer('b', 'high', { deadline: t0 + 50 });
    offer('c', 'low', { deadline: t0 + 5, client: 'bob' });
    offer('d', 'normal', { deadline: t0 + 20 });
    offer('e', 'critical'); // no practical deadline
    expect(queue.expire()).toEqual([]);
    clock.advance(5);
    expect(queue.expire().map((e) => e.item).sort()).toEqual(['a', 'c']);
    expect(queue.expire()).toEqual([]);
    clock.advance(15);
    const expired = queue.expire();
    expect(expired.map((e) => e.item)).toEqual(['d']);
    expect(expired[0]!.settled).toBe(true);
    expect(queue.size).toBe(2);

    const stats = queue.snapshot();
    expect(stats.expired).toBe(3);
    expect(stats.clients.alice).toMatchObject({ enqueued: 1, expired: 1 });
    expect(stats.clients.bob).toMatchObject({ enqueued: 1, expired: 1 });
    // time spent waiting is recorded for expired entries too
    expect(stats.wait_ms.count).toBe(3);
    expect(stats.wait_ms.max).toBe(20);
    expect([...new Set([queue.take()!.item, queue.take()!.item])]).toEqual(['e', 'b']);
  });

  it('expire() does not touch entries that were already taken', () => {
    const { clock, queue, offer } = setup();
    offer('taken', 'high', { deadline: clock.time + 5 });
    offer('waiting', 'low', { deadline: clock.time + 5 });
    expect(queue.take()!.item).toBe('taken');
    clock.advance(5);
    expect(queue.expire().map((e) => e.item)).toEqual(['waiting']);
    expect(queue.snapshot().expired).toBe(1);
  });

  it('expire() finds an expired entry behind an ineligible one that was skipped', () => {
    const { clock, queue, offer } = setup();
    offer('blocked', 'normal', { deadline: clock.time + 100 });
    offer('taken', 'normal', { deadline: clock.time + 100 });
    offer('late', 'normal', { deadline: clock.time + 10 });
    expect(queue.take((item) => item !== 'blocked')!.item).toBe('taken');
    clock.advance(10);
    expect(queue.expire().map((e) => e.item)).toEqual(['late']);
    expect(queue.take()!.item).toBe('blocked');
  });

  it('nextDeadline() gives the earliest deadline, or undefined when nothing waits', () => {
    const { clock, queue, offer } = setup();
    expect(queue.nextDeadline()).toBeUndefined();
    offer('x', 'normal', { deadline: clock.time + 300 });
    expect(queue.nextDeadline()).toBe(clock.time + 300);
    offer('y', 'low', { deadline: clock.time + 100 });
    expect(queue.nextDeadline()).toBe(clock.time + 100);
    offer('z', 'high', { deadline: clock.time + 200 });
    expect(queue.nextDeadline()).toBe(clock.time + 100);

    const t0 = clock.time;
    clock.advance(100);
    expect(queue.expire().map((e) => e.item)).toEqual(['y']);
    expect(queue.nextDeadline()).toBe(t0 + 200);
    queue.take();
    queue.take();
    expect(queue.size).toBe(0);
    expect(queue.nextDeadline()).toBeUndefined();
  });

  it('nextDeadline() is a lower bound: never later than the earliest waiting deadline', () => {
    const { clock, queue, offer } = setup();
    offer('first', 'critical', { deadline: clock.time + 10 });
    offer('second', 'low', { deadline: clock.time + 500 });
    expect(queue.take()!.item).toBe('first');
    expect(queue.nextDeadline()).toBeLessThanOrEqual(clock.time + 500);
    clock.advance(10);
    expect(queue.expire()).toEqual([]); // a sweep tightens the bound
    expect(queue.nextDeadline()).toBe(clock.time - 10 + 500);
  });

  it('nextDeadline() is undefined when no waiting entry has a finite deadline', () => {
    const { queue } = setup();
    queue.offer('forever', { priority: 'normal', deadline: Infinity, client: 'c' });
    expect(queue.nextDeadline()).toBeUndefined();
    expect(queue.expire()).toEqual([]);
    expect(queue.take()!.item).toBe('forever');
  });
});

describe('RequestQueue: bounds', () => {
  it('throws QUEUE_FULL at once when full, counting the rejection', () => {
    const { queue, offer } = setup({ maxSize: 2 });
    expect(queue.maxSize).toBe(2);
    offer('a');
    offer('b');
    let error: unknown;
    try {
      offer('c', 'critical', { client: 'greedy' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(ErrorCode.QUEUE_FULL);
    expect((error as RpcError).data).toEqual({ max_size: 2 });
    expect(queue.size).toBe(2);
    const stats = queue.snapshot();
    expect(stats.rejected).toBe(1);
    expect(stats.enqueued).toBe(2);
    expect(stats.clients.greedy).toMatchObject({ rejected: 1, enqueued: 0 });
  });

  it('admits again once an entry left', () => {
    const { queue, offer } = setup({ maxSize: 1 });
    offer('a');
    expect(() => offer('b')).toThrow(RpcError);
    queue.take();
    expect(offer('b').item).toBe('b');
  });

  it('admits a bypassLimit entry even when full', () => {
    const { queue, offer, takeAll } = setup({ maxSize: 1 });
    offer('work', 'low');
    const control = offer('ping', 'critical', { bypassLimit: true });
    expect(control.item).toBe('ping');
    expect(queue.size).toBe(2);
    expect(queue.snapshot().rejected).toBe(0);
    expect(() => offer('more', 'low')).toThrow(expect.objectContaining({ code: ErrorCode.QUEUE_FULL }));
    expect(takeAll()).toEqual(['ping', 'work']);
  });

  it('drain() removes and returns every waiting entry', () => {
    const { clock, queue, offer } = setup();
    offer('a', 'low', { deadline: clock.time + 10 });
    offer('b', 'high');
    offer('c', 'critical');
    expect(queue.take()!.item).toBe('c');
    const drained = queue.drain();
    expect(drained.map((e) => e.item).sort()).toEqual(['a', 'b']);
    expect(drained.every((e) => e.settled)).toBe(true);
    expect(queue.size).toBe(0);
    expect(queue.take()).toBeUndefined();
    expect(queue.nextDeadline()).toBeUndefined();
    clock.advance(100);
    expect(queue.expire()).toEqual([]);
    expect(queue.snapshot().depth).toEqual({ critical: 0, high: 0, normal: 0, low: 0, total: 0 });
    // and it keeps working afterwards
    offer('d', 'normal');
    expect(queue.take()!.item).toBe('d');
  });
});

describe('RequestQueue: statistics', () => {
  it('reports depth per priority and the total', () => {
    const { queue, offer } = setup({ maxSize: 50 });
    offer('c', 'critical');
    offer('h1', 'high');
    offer('h2', 'high');
    for (let i = 0; i < 3; i++) offer(`n${i}`, 'normal');
    const snapshot = queue.snapshot();
    expect(snapshot.depth).toEqual({ critical: 1, high: 2, normal: 3, low: 0, total: 6 });
    expect(snapshot.max_size).toBe(50);
    queue.take();
    queue.take();
    expect(queue.snapshot().depth).toEqual({ critical: 0, high: 1, normal: 3, low: 0, total: 4 });
  });

  it('counts enqueued, done, failed, rejected and expired, overall and per client', () => {
    const { clock, queue, offer } = setup({ maxSize: 3 });
    offer('a1', 'normal', { client: 'alice' });
    offer('a2', 'normal', { client: 'alice' });
    offer('b1', 'normal', { client: 'bob', deadline: clock.time + 1 });
    expect(() => offer('b2', 'normal', { client: 'bob' })).toThrow(RpcError);
    clock.advance(4);
    const first = queue.take()!;
    expect(first.item).toBe('a1');
    queue.stats.finished(first.client, clock.time - first.enqueuedAt, 6, true);
    const second = queue.take()!;
    queue.stats.finished(second.client, clock.time - second.enqueuedAt, 8, false);
    queue.expire();

    const snapshot = queue.snapshot();
    expect(snapshot).toMatchObject({ enqueued: 3, done: 1, failed: 1, rejected: 1, expired: 1 });
    expect(snapshot.clients).toEqual({
      alice: { enqueued: 2, done: 1, failed: 1, rejected: 0, expired: 0, wait_ms_avg: 4 },
      bob: { enqueued: 1, done: 0, failed: 0, rejected: 1, expired: 1, wait_ms_avg: 4 },
    });
    expect(snapshot.wait_ms).toEqual({ count: 3, p50: 4, p95: 4, p99: 4, max: 4 });
    expect(snapshot.exec_ms).toEqual({ count: 2, p50: 8, p95: 8, p99: 8, max: 8 });
  });

  it('reports empty latency windows as zeros', () => {
    const { queue } = setup();
    const snapshot = queue.snapshot();
    expect(snapshot.wait_ms).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
    expect(snapshot.exec_ms).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
    expect(snapshot.clients).toEqual({});
    expect(snapshot).toMatchObject({ enqueued: 0, done: 0, failed: 0, rejected: 0, expired: 0 });
  });

  it('averages the wait per client, rounded to microseconds', () => {
    const stats = new QueueStats();
    stats.finished('c', 1, 0, true);
    stats.finished('c', 2, 0, true);
    stats.finished('c', 2, 0, true);
    stats.rejected('d');
    const snapshot = stats.snapshot({ critical: 0, high: 0, normal: 0, low: 0 }, 10);
    expect(snapshot.clients.c!.wait_ms_avg).toBe(1.667);
    expect(snapshot.clients.d!.wait_ms_avg).toBe(0);
  });

  it('uses the real clock when none is injected', () => {
    const queue = new RequestQueue<string>({ maxSize: 1 });
    const before = performance.now();
    const entry = queue.offer('x', { priority: 'normal', deadline: Infinity, client: 'c' });
    expect(entry.enqueuedAt).toBeGreaterThanOrEqual(before);
    expect(queue.now()).toBeGreaterThanOrEqual(entry.enqueuedAt);
  });
});

describe('SampleWindow', () => {
  it('summarises known data: p50/p95/p99 are the values at index floor(q·n) of the sorted samples', () => {
    const window = new SampleWindow();
    // added out of order, to show the summary sorts numerically (not as strings)
    for (let i = 100; i >= 1; i--) window.add(i);
    expect(window.summary()).toEqual({ count: 100, p50: 51, p95: 96, p99: 100, max: 100 });
  });

  it('summarises a skewed distribution', () => {
    const window = new SampleWindow();
    for (let i = 0; i < 90; i++) window.add(1);
    for (let i = 0; i < 9; i++) window.add(50);
    window.add(1000);
    expect(window.summary()).toEqual({ count: 100, p50: 1, p95: 50, p99: 1000, max: 1000 });
  });

  it('sorts numerically across magnitudes', () => {
    const window = new SampleWindow();
    for (const value of [9, 10, 100, 2, 1000, 20]) window.add(value);
    expect(window.summary().max).toBe(1000);
    expect(window.summary().p50).toBe(20); // sorted: 2 9 10 20 100 1000, index 3
  });

  it('summarises a single sample', () => {
    const window = new SampleWindow();
    window.add(7.5);
    expect(window.summary()).toEqual({ count: 1, p50: 7.5, p95: 7.5, p99: 7.5, max: 7.5 });
  });

  it('rounds to three decimals', () => {
    const window = new SampleWindow();
    window.add(1.23456);
    expect(window.summary().max).toBe(1.235);
  });

  it('keeps only the most recent samples once full', () => {
    const window = new SampleWindow(4);
    for (const value of [1000, 900, 1, 2, 3, 4]) window.add(value);
    expect(window.summary()).toEqual({ count: 4, p50: 3, p95: 4, p99: 4, max: 4 });
  });
});

describe('RequestQueue: lane compaction', () => {
  it('keeps the right order across 5000 entries taken one by one', () => {
    const { clock, queue, offer } = setup({ maxSize: 10_000, agingMs: 1e12 });
    for (let i = 0; i < 5000; i++) {
      offer(`n${i}`, 'normal');
      if (i % 2 === 0) offer(`l${i}`, 'low');
      clock.advance(1);
    }
    const taken: string[] = [];
    for (let i = 0; i < 3000; i++) taken.push(queue.take()!.item);
    expect(taken).toEqual(Array.from({ length: 3000 }, (_, i) => `n${i}`));
    // offers after compaction started land behind the survivors
    offer('n-late', 'normal');
    offer('h-late', 'high');
    const rest: string[] = [];
    for (let entry = queue.take(); entry; entry = queue.take()) rest.push(entry.item);
    expect(rest).toEqual([
      'h-late',
      ...Array.from({ length: 2000 }, (_, i) => `n${3000 + i}`),
      'n-late',
      ...Array.from({ length: 2500 }, (_, i) => `l${2 * i}`),
    ]);
    expect(queue.size).toBe(0);
    expect(queue.snapshot().depth.total).toBe(0);
  });

  it('keeps skipped (ineligible) entries and expiry working across compaction', () => {
    const { clock, queue, offer } = setup({ maxSize: 10_000 });
    offer('pinned-head', 'normal'); // never eligible until the end
    for (let i = 0; i < 5000; i++) offer(`x${i}`, 'normal', { deadline: i % 1000 === 999 ? clock.time + 10 : FAR });
    const eligible = (item: string) => item !== 'pinned-head';
    for (let i = 0; i < 2500; i++) expect(queue.take(eligible)!.item).toBe(`x${i}`);
    clock.advance(10);
    // deadlines of x999 and x1999 were taken already; x2999, x3999, x4999 expire now
    expect(queue.expire().map((e) => e.item)).toEqual(['x2999', 'x3999', 'x4999']);
    const order: string[] = [];
    for (let entry = queue.take(eligible); entry; entry = queue.take(eligible)) order.push(entry.item);
    expect(order).toEqual(
      Array.from({ length: 2500 }, (_, i) => `x${2500 + i}`).filter((item) => !['x2999', 'x3999', 'x4999'].includes(item)),
    );
    expect(queue.take()!.item).toBe('pinned-head');
    expect(queue.size).toBe(0);
  });

  it('compacts with many settled entries after the head (expired in the middle of the lane)', () => {
    const { clock, queue, offer } = setup({ maxSize: 10_000 });
    for (let i = 0; i < 4000; i++) offer(`e${i}`, 'low', { deadline: i % 2 ? clock.time + 5 : FAR });
    clock.advance(5);
    expect(queue.expire()).toHaveLength(2000);
    const got: string[] = [];
    for (let entry = queue.take(); entry; entry = queue.take()) got.push(entry.item);
    expect(got).toEqual(Array.from({ length: 2000 }, (_, i) => `e${2 * i}`));
  });
});

describe('fair shares between sources', () => {
  function shared(maxSize: number) {
    const evicted: string[] = [];
    const clock = new FakeClock();
    const queue = new RequestQueue<string>({ maxSize, now: clock.now, onEvicted: (entry) => evicted.push(entry.item) });
    const offer = (item: string, source: number, priority: Priority = 'normal', evictable = true) =>
      queue.offer(item, { priority, deadline: FAR, client: `c${source}`, source, evictable });
    return { queue, offer, evicted };
  }

  it('lets a source that holds less push out the newest request of the biggest holder when the queue is full', () => {
    const { queue, offer, evicted } = shared(4);
    for (const item of ['h1', 'h2', 'h3', 'h4']) offer(item, 1);
    expect(() => offer('h5', 1)).toThrow(expect.objectContaining({ code: ErrorCode.QUEUE_FULL }));
    offer('other', 2);
    expect(evicted).toEqual(['h4']);
    expect(queue.size).toBe(4);
    // Even shares (h: 3, other: 1 → 2 each at most one apart) are left alone.
    offer('other 2', 2);
    expect(evicted).toEqual(['h4', 'h3']);
    expect(() => offer('other 3', 2)).toThrow(expect.objectContaining({ code: ErrorCode.QUEUE_FULL }));
    expect(queue.snapshot().rejected).toBe(4);
  });

  it('always has room for critical: the newest non-critical request goes, the source\'s own included', () => {
    const { offer, evicted } = shared(3);
    offer('low', 1, 'low');
    offer('crit a', 1, 'critical');
    offer('crit b', 1, 'critical');
    offer('crit c', 1, 'critical');
    expect(evicted).toEqual(['low']);
    // Only criticals left, all of one source: another source's critical pushes one out; the same source's does not.
    offer('crit d', 2, 'critical');
    expect(evicted).toEqual(['low', 'crit c']);
    expect(() => offer('crit e', 1, 'critical')).toThrow(expect.objectContaining({ code: ErrorCode.QUEUE_FULL }));
  });

  it('never pushes out what may not be (a transaction\'s request), and drops a closed source\'s requests', () => {
    const { queue, offer, evicted } = shared(2);
    offer('tx 1', 1, 'normal', false);
    offer('tx 2', 1, 'normal', false);
    expect(() => offer('other', 2)).toThrow(expect.objectContaining({ code: ErrorCode.QUEUE_FULL }));
    expect(evicted).toEqual([]);
    expect(queue.dropSource(1).map((entry) => entry.item)).toEqual(['tx 1', 'tx 2']);
    expect(queue.size).toBe(0);
    expect(queue.dropSource(7)).toEqual([]);
    offer('other', 2);
    expect(queue.take()?.item).toBe('other');
  });
});
