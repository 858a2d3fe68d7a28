import { describe, expect, it } from 'vitest';
import { RestartPolicy } from '../../src/supervisor/restart-policy.ts';

describe('RestartPolicy', () => {
  it('backs off exponentially over the restarts inside the window', () => {
    const policy = new RestartPolicy({ maxRestarts: 4, windowMs: 10_000, initialBackoffMs: 100, maxBackoffMs: 500 });
    const delays = [0, 1, 2, 3].map((i) => policy.decide(1_000 + i));
    expect(delays).toEqual([
      { restart: true, delayMs: 100 },
      { restart: true, delayMs: 200 },
      { restart: true, delayMs: 400 },
      { restart: true, delayMs: 500 },
    ]);
    expect(policy.total).toBe(4);
  });

  it('gives up after max_restarts within the window, naming the limit', () => {
    const policy = new RestartPolicy({ maxRestarts: 2, windowMs: 1_000 });
    expect(policy.decide(0).restart).toBe(true);
    expect(policy.decide(10).restart).toBe(true);
    const decision = policy.decide(20);
    expect(decision).toEqual({ restart: false, reason: '2 restarts within 1000 ms (max_restarts 2)' });
    expect(policy.total).toBe(2);
  });

  it('forgets restarts that have left the window', () => {
    const policy = new RestartPolicy({ maxRestarts: 1, windowMs: 1_000, initialBackoffMs: 50 });
    expect(policy.decide(0)).toEqual({ restart: true, delayMs: 50 });
    expect(policy.decide(500).restart).toBe(false);
    expect(policy.decide(1_001)).toEqual({ restart: true, delayMs: 50 });
    expect(policy.total).toBe(2);
  });

  it('with max_restarts 0 never restarts', () => {
    expect(new RestartPolicy({ maxRestarts: 0, windowMs: 1_000 }).decide().restart).toBe(false);
  });
});
