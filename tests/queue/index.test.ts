import { describe, expect, it } from 'vitest';
import * as queue from '../../src/queue/index.ts';
import { MethodStats } from '../../src/queue/method-stats.ts';
import { SampleWindow } from '../../src/queue/percentiles.ts';
import { QueueStats } from '../../src/queue/queue-stats.ts';
import { RequestQueue } from '../../src/queue/request-queue.ts';

describe('src/queue/index.ts', () => {
  it('re-exports the queue, its statistics and the priorities', () => {
    expect(queue.RequestQueue).toBe(RequestQueue);
    expect(queue.QueueStats).toBe(QueueStats);
    expect(queue.SampleWindow).toBe(SampleWindow);
    expect(queue.MethodStats).toBe(MethodStats);
    expect(queue.LATENCY_BUCKETS_MS).toEqual([1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]);
    expect(queue.PRIORITIES).toEqual(['critical', 'high', 'normal', 'low']);
    expect(queue.PRIORITY_RANK).toEqual({ critical: 3, high: 2, normal: 1, low: 0 });
  });
});
