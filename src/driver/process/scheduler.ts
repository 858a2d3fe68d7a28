import { RpcError } from '../../ipc/errors.ts';
import type { QueueEntry, RequestQueue } from '../../queue/request-queue.ts';
import type { ControlSurface } from '../methods.ts';
import type { Driver, GroupableOperation } from '../types.ts';
import type { Job } from './job.ts';
import type { LeaseKeeper } from './lease-keeper.ts';

export interface SchedulerOptions {
  /** Runs a callback after the I/O already waiting (the runtime's setImmediate). */
  defer: (callback: () => void) => void;
  /** Idle limit of a transaction that sets no `timeout_ms` of its own. */
  transactionTimeoutMs: number;
  /** Most autocommit writes that share one group commit. */
  maxGroupSize?: number;
  control: ControlSurface;
  /** After a write ran: what the service learns from it (the protected tables may have changed). */
  afterWrite?: (job: Job) => Promise<void>;
  /** After every turn of the pump: the service checks whether it has gone idle. */
  onTurn?: () => void;
}

/**
 * Takes queued requests in priority order and runs them on the driver, as many at once as
 * it allows: reads outside transactions beside writes (SQLite: one per reader thread, the
 * writer its own), one request at a time per transaction, other writes held back while a
 * SQLite transaction is open, queued autocommit writes grouped into one commit. A request
 * whose deadline passes while it waits is answered TIMEOUT and never runs.
 */
export class Scheduler {
  private readonly running = { total: 0, read: 0, write: 0 };
  private pumpScheduled = false;
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  private deadlineAt = 0;

  constructor(
    private readonly queue: RequestQueue<Job>,
    private readonly driver: Driver,
    private readonly keeper: LeaseKeeper,
    private readonly options: SchedulerOptions,
  ) {}

  /** Requests executing now. */
  get runningCount(): number {
    return this.running.total;
  }

  /**
   * Look at the queue soon. For a write that may join a group commit, after the socket reads
   * already waiting (so writes pile up for grouping); for anything else, right after the
   * current task: a read waits for nothing.
   */
  schedule(groupable = false): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    if (groupable && this.driver.capabilities.groupCommit) this.options.defer(() => this.pump());
    else queueMicrotask(() => this.pump());
  }

  stop(): void {
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
  }

  private readonly eligible = (job: Job): boolean => {
    const capabilities = this.driver.capabilities;
    if (this.running.total >= capabilities.concurrency) return false;
    if (job.lease) return !job.lease.busy && this.running.write < capabilities.writers;
    if (job.lane === 'read') return this.running.read < capabilities.readers;
    return this.running.write < capabilities.writers && !(capabilities.singleWriter && this.keeper.leases.size > 0);
  };

  private pump(): void {
    this.pumpScheduled = false;
    for (const entry of this.queue.expire()) this.expire(entry);
    for (;;) {
      const entry = this.queue.take(this.eligible);
      if (!entry) break;
      const job = entry.item;
      if (this.driver.capabilities.groupCommit && !job.lease && job.spec.groupable) this.runGroup(entry);
      else void this.runOne(entry);
    }
    this.armDeadlineTimer();
    this.options.onTurn?.();
  }

  /** Wake up when the next waiting request expires; a timer already due earlier is kept. */
  private armDeadlineTimer(): void {
    const next = this.queue.nextDeadline();
    if (next === undefined || (this.deadlineTimer !== undefined && this.deadlineAt <= next)) return;
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.deadlineAt = next;
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = undefined;
      this.schedule();
    }, Math.max(1, Math.ceil(next - this.queue.now()) + 1));
  }

  private expire(entry: QueueEntry<Job>): void {
    const job = entry.item;
    if (job.lease) void this.keeper.dropped(job.lease);
    const waited = Math.round(this.queue.now() - entry.enqueuedAt);
    job.reject(
      new RpcError('TIMEOUT', `${job.method} was not started within its deadline (waited ${waited} ms in the queue); it was not executed`, {
        waited_ms: waited,
      }),
    );
  }

  private begin(lane: Job['lane'], count = 1): void {
    this.running.total += count;
    this.running[lane] += count;
  }

  private end(lane: Job['lane']): void {
    this.running.total--;
    this.running[lane]--;
    this.schedule();
  }

  private async runOne(entry: QueueEntry<Job>): Promise<void> {
    const job = entry.item;
    const lease = job.lease;
    this.begin(job.lane);
    if (lease) this.keeper.started(lease);
    const started = this.queue.now();
    let ok = false;
    try {
      const result = await this.execute(job);
      ok = true;
      job.resolve(result);
    } catch (error) {
      job.reject(error);
    } finally {
      this.queue.stats.finished(entry.client, started - entry.enqueuedAt, this.queue.now() - started, ok);
      if (lease) await this.keeper.done(lease);
      this.end(job.lane);
    }
  }

  private async execute(job: Job): Promise<unknown> {
    if (job.lease?.ending) {
      throw new RpcError('TRANSACTION_ERROR', `transaction ${job.lease.id} ${job.lease.ending}`, { transaction_id: job.lease.id });
    }
    switch (job.spec.access) {
      case 'begin': {
        const timeout = typeof job.params.timeout_ms === 'number' ? job.params.timeout_ms : this.options.transactionTimeoutMs;
        return { transaction_id: await this.keeper.begin(job.connection, job.priority, timeout, job.execution) };
      }
      case 'end':
        await this.keeper.finish(job.lease!, job.method === 'commit_transaction');
        return { success: true };
      default: {
        const result = await job.spec.run({ params: job.params, driver: this.driver, execution: job.execution, control: this.options.control });
        if (job.lane === 'write') await this.options.afterWrite?.(job);
        return result;
      }
    }
  }

  private runGroup(first: QueueEntry<Job>): void {
    const members = [first];
    const limit = this.options.maxGroupSize ?? 256;
    while (members.length < limit) {
      const next = this.queue.take((job) => !job.lease && job.spec.groupable === true && this.eligible(job));
      if (!next) break;
      members.push(next);
    }
    this.begin('write');
    const started = this.queue.now();
    const operations = members.map((entry) => ({ method: entry.item.method, params: entry.item.params }) as GroupableOperation);
    this.driver
      .runGroup(
        operations,
        members.map((entry) => entry.item.execution),
      )
      .catch((error: unknown) => members.map(() => ({ ok: false as const, error })))
      .then((outcomes) => {
        const elapsed = this.queue.now() - started;
        outcomes.forEach((outcome, i) => {
          const entry = members[i]!;
          this.queue.stats.finished(entry.client, started - entry.enqueuedAt, elapsed, outcome.ok);
          if (outcome.ok) entry.item.resolve(outcome.value);
          else entry.item.reject(outcome.error);
        });
        this.end('write');
      });
  }
}
