import { RpcError } from '../ipc/errors.ts';
import { PRIORITIES, PRIORITY_RANK, type Priority } from './priority.ts';
import { QueueShares } from './queue-shares.ts';
import { QueueStats, type QueueStatsSnapshot } from './queue-stats.ts';

export interface RequestQueueOptions<T = unknown> {
  /** Most requests waiting at once; beyond it `offer` answers QUEUE_FULL. */
  maxSize: number;
  /** Waiting this long raises a request by one priority rank, so low never starves. */
  agingMs?: number;
  /** Clock in milliseconds (injectable for tests). */
  now?: () => number;
  /** Told of a waiting entry pushed out to make room (queue-shares.ts): it never ran. */
  onEvicted?: (entry: QueueEntry<T>) => void;
}

export interface OfferOptions {
  priority: Priority;
  /** Absolute time (same clock as `now`) after which the request must not start. */
  deadline: number;
  /** Who sent it, for the per-client statistics. */
  client: string;
  /** Control requests (ping, commit, …) are admitted even when the queue is full. */
  bypassLimit?: boolean;
  /** Where it came from (a connection): the queue is shared fairly between sources. */
  source?: number;
  /** May be pushed out to make room for another source's request (not a transaction's). */
  evictable?: boolean;
}

export interface QueueEntry<T> {
  readonly item: T;
  readonly priority: Priority;
  readonly client: string;
  readonly enqueuedAt: number;
  readonly deadline: number;
  readonly source: number;
  readonly evictable: boolean;
  /** Set once the entry left the queue (taken, expired or removed). */
  settled: boolean;
}

/** FIFO lane of one priority; removed entries are skipped lazily. */
class Lane<T> {
  entries: QueueEntry<T>[] = [];
  head = 0;

  compact(): void {
    while (this.head < this.entries.length && this.entries[this.head]!.settled) this.head++;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * The bounded priority queue in front of the database (DESIGN §5): four priorities with
 * aging, per-request deadlines, and the statistics.
 */
export class RequestQueue<T> {
  private readonly lanes = new Map<Priority, Lane<T>>(PRIORITIES.map((p) => [p, new Lane<T>()]));
  private readonly depth: Record<Priority, number> = { critical: 0, high: 0, normal: 0, low: 0 };
  private waiting = 0;
  /** A lower bound of the waiting entries' deadlines: no sweep is needed before it. */
  private earliestDeadline = Infinity;
  readonly stats = new QueueStats();
  private readonly shares = new QueueShares<T>();
  private readonly agingMs: number;
  readonly now: () => number;

  constructor(private readonly options: RequestQueueOptions<T>) {
    this.agingMs = options.agingMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.waiting;
  }

  get maxSize(): number {
    return this.options.maxSize;
  }

  /**
   * Admit a request, or throw QUEUE_FULL at once. When the queue is full, an offer may push
   * out another source's request instead (queue-shares.ts).
   */
  offer(item: T, options: OfferOptions): QueueEntry<T> {
    const source = options.source ?? 0;
    if (!options.bypassLimit && this.waiting >= this.options.maxSize) {
      const victim = this.shares.victim(source, options.priority === 'critical');
      if (!victim) {
        this.stats.rejected(options.client);
        throw new RpcError('QUEUE_FULL', `request queue is full (${this.options.maxSize} waiting)`, {
          max_size: this.options.maxSize,
        });
      }
      this.settle(victim);
      this.stats.rejected(victim.client);
      this.options.onEvicted?.(victim);
    }
    const entry: QueueEntry<T> = {
      item,
      priority: options.priority,
      client: options.client,
      enqueuedAt: this.now(),
      deadline: options.deadline,
      source,
      evictable: options.evictable ?? false,
      settled: false,
    };
    this.shares.added(entry);
    this.lanes.get(options.priority)!.entries.push(entry);
    this.depth[options.priority]++;
    this.waiting++;
    if (options.deadline < this.earliestDeadline) this.earliestDeadline = options.deadline;
    this.stats.enqueued(options.client);
    return entry;
  }

  /**
   * Remove and return the entry to run next among those `eligible` accepts: the highest
   * priority after aging, oldest first. Entries past their deadline are never returned.
   */
  take(eligible: (item: T) => boolean = () => true): QueueEntry<T> | undefined {
    const now = this.now();
    let best: QueueEntry<T> | undefined;
    let bestScore = -Infinity;
    for (const lane of this.lanes.values()) {
      lane.compact();
      for (let i = lane.head; i < lane.entries.length; i++) {
        const entry = lane.entries[i]!;
        if (entry.settled || entry.deadline <= now || !eligible(entry.item)) continue;
        const score = PRIORITY_RANK[entry.priority] + (now - entry.enqueuedAt) / this.agingMs;
        if (score > bestScore || (score === bestScore && entry.enqueuedAt < best!.enqueuedAt)) {
          best = entry;
          bestScore = score;
        }
        break; // lanes are FIFO: the first eligible entry is the oldest one
      }
    }
    if (best) this.settle(best);
    return best;
  }

  /** Remove and return every entry whose deadline has passed. Cheap when none has. */
  expire(): QueueEntry<T>[] {
    const now = this.now();
    if (now < this.earliestDeadline) return [];
    const expired: QueueEntry<T>[] = [];
    let earliest = Infinity;
    for (const lane of this.lanes.values()) {
      for (let i = lane.head; i < lane.entries.length; i++) {
        const entry = lane.entries[i]!;
        if (entry.settled) continue;
        if (entry.deadline <= now) {
          this.settle(entry);
          this.stats.expired(entry.client, now - entry.enqueuedAt);
          expired.push(entry);
        } else if (entry.deadline < earliest) {
          earliest = entry.deadline;
        }
      }
      lane.compact();
    }
    this.earliestDeadline = earliest;
    return expired;
  }

  /** Remove and return every waiting entry (shutdown). */
  drain(): QueueEntry<T>[] {
    const all: QueueEntry<T>[] = [];
    for (const lane of this.lanes.values()) {
      for (let i = lane.head; i < lane.entries.length; i++) {
        const entry = lane.entries[i]!;
        if (!entry.settled) {
          this.settle(entry);
          all.push(entry);
        }
      }
      lane.entries = [];
      lane.head = 0;
    }
    this.earliestDeadline = Infinity;
    return all;
  }

  /** Remove and return every waiting entry of `source` (its connection closed): they will never run. */
  dropSource(source: number): QueueEntry<T>[] {
    const entries = this.shares.of(source);
    for (const entry of entries) this.settle(entry);
    return entries;
  }

  /** When the next entry may expire (a lower bound), or undefined when none waits. */
  nextDeadline(): number | undefined {
    return this.waiting > 0 && this.earliestDeadline !== Infinity ? this.earliestDeadline : undefined;
  }

  snapshot(): QueueStatsSnapshot {
    return this.stats.snapshot({ ...this.depth }, this.options.maxSize);
  }

  private settle(entry: QueueEntry<T>): void {
    entry.settled = true;
    this.shares.settled(entry);
    this.depth[entry.priority]--;
    this.waiting--;
  }
}
