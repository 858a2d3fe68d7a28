import { describe, expect, it } from 'vitest';
import * as queue from '../../src/queue/index.ts';
import { SampleWindow } from '../../src/queue/percentiles.ts';
import { QueueStats } from '../../src/queue/queue-stats.ts';
import { RequestQueue } from '../../src/queue/request-queue.ts';

describe('src/queue/index.ts', () => {
  it('re-exports the queue, its statistics and the priorities', () => {
    expect(queue.RequestQueue).toBe(RequestQueue);
    expect(queue.QueueStats).toBe(QueueStats);
    expect(queue.SampleWindow).toBe(SampleWindow);
    expect(queue.PRIORITIES).toEqual(['critical', 'high', 'normal', 'low']);
    expect(queue.PRIORITY_RANK).toEqual({ critical: 3, high: 2, normal: 1, low: 0 });
  });
});
