import { SampleWindow } from './percentiles.ts';
import { PRIORITIES, type Priority } from './priority.ts';

export interface OutcomeCounts {
  enqueued: number;
  done: number;
  failed: number;
  rejected: number;
  expired: number;
}

export interface QueueStatsSnapshot extends OutcomeCounts {
  depth: Record<Priority, number> & { total: number };
  max_size: number;
  wait_ms: ReturnType<SampleWindow['summary']>;
  exec_ms: ReturnType<SampleWindow['summary']>;
  clients: Record<string, OutcomeCounts & { wait_ms_avg: number }>;
}

const zero = (): OutcomeCounts => ({ enqueued: 0, done: 0, failed: 0, rejected: 0, expired: 0 });

/** Counters and latency windows of the request queue (DESIGN §5), overall and per client. */
export class QueueStats {
  private readonly totals = zero();
  private readonly perClient = new Map<string, OutcomeCounts & { waitTotal: number; waitCount: number }>();
  private readonly wait = new SampleWindow();
  private readonly exec = new SampleWindow();

  enqueued(client: string): void {
    this.bump(client, 'enqueued');
  }

  rejected(client: string): void {
    this.bump(client, 'rejected');
  }

  expired(client: string, waitMs: number): void {
    this.bump(client, 'expired');
    this.recordWait(client, waitMs);
  }

  /** A request left the queue and ran (successfully or not). */
  finished(client: string, waitMs: number, execMs: number, ok: boolean): void {
    this.bump(client, ok ? 'done' : 'failed');
    this.recordWait(client, waitMs);
    this.exec.add(execMs);
  }

  snapshot(depth: Record<Priority, number>, maxSize: number): QueueStatsSnapshot {
    const clients: QueueStatsSnapshot['clients'] = {};
    for (const [name, entry] of this.perClient) {
      const { waitTotal, waitCount, ...counts } = entry;
      clients[name] = { ...counts, wait_ms_avg: waitCount ? Math.round((waitTotal / waitCount) * 1000) / 1000 : 0 };
    }
    const total = PRIORITIES.reduce((sum, priority) => sum + depth[priority], 0);
    return {
      depth: { ...depth, total },
      max_size: maxSize,
      ...this.totals,
      wait_ms: this.wait.summary(),
      exec_ms: this.exec.summary(),
      clients,
    };
  }

  private bump(client: string, key: keyof OutcomeCounts): void {
    this.totals[key]++;
    this.client(client)[key]++;
  }

  private recordWait(client: string, waitMs: number): void {
    this.wait.add(waitMs);
    const entry = this.client(client);
    entry.waitTotal += waitMs;
    entry.waitCount++;
  }

  private client(name: string) {
    let entry = this.perClient.get(name);
    if (!entry) {
      entry = { ...zero(), waitTotal: 0, waitCount: 0 };
      this.perClient.set(name, entry);
    }
    return entry;
  }
}
