import { setImmediate } from 'node:timers';
import { RpcError } from '../../ipc/errors.ts';
import type { Priority, RpcRequest } from '../../ipc/messages.ts';
import type { ServerConnection } from '../../ipc/rpc-server.ts';
import { validate } from '../../ipc/validate.ts';
import { MethodStats } from '../../queue/method-stats.ts';
import { type QueueEntry, RequestQueue } from '../../queue/request-queue.ts';
import { isGroupable, METHODS, type MethodAccess } from '../methods.ts';
import type { HelloInput } from '../params.ts';
import type { Driver, GroupableOperation } from '../types.ts';
import { AccessPolicy } from './access-policy.ts';
import { IdleSignal } from './idle-signal.ts';
import { Sessions } from './sessions.ts';
import { type Lease, TransactionLeases } from './transaction-leases.ts';

export interface DriverServiceOptions {
  /** queue.max_size */
  maxQueueSize: number;
  /** Deadline of a request that sets no `timeout_ms` of its own (queue.timeout_ms). */
  requestTimeoutMs: number;
  /** Idle limit of a transaction that sets no `timeout_ms` of its own. */
  transactionTimeoutMs: number;
  agingMs?: number;
  /** Most autocommit writes that share one group commit. */
  maxGroupSize?: number;
  version: string;
  /** Reported by ping, so a second driver can name the one already running. */
  pid: number;
}

/** Methods after which the recorded protected tables may have changed. */
const PROTECTION_CHANGES = new Set(['create_table', 'drop_table', 'sync_schema']);

interface Job {
  method: string;
  access: MethodAccess;
  params: Record<string, unknown>;
  connection: ServerConnection;
  lease: Lease | null;
  priority: Priority;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The heart of the driver process: validates each request, queues it by priority, and
 * runs it against the driver under the lease rules of DESIGN §5 — one request at a time per
 * transaction, other writers held back while a SQLite transaction is open, autocommit
 * writes grouped into one commit, deadlines enforced before anything executes.
 */
export class DriverService {
  private readonly queue: RequestQueue<Job>;
  private readonly leases: TransactionLeases;
  private readonly sessions: Sessions;
  private readonly idle: IdleSignal;
  private readonly methods = new MethodStats();
  private readonly policy: AccessPolicy;
  private readonly startedAt = Date.now();
  private running = 0;
  private pumpScheduled = false;
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  private deadlineAt = 0;
  private shuttingDown = false;

  /** A service over `driver`, knowing the protected tables the database records. */
  static async open(driver: Driver, options: DriverServiceOptions): Promise<DriverService> {
    return new DriverService(driver, options, await driver.protectedTables());
  }

  private constructor(
    private readonly driver: Driver,
    private readonly options: DriverServiceOptions,
    protectedTables: string[],
  ) {
    this.policy = new AccessPolicy(driver.name, protectedTables);
    this.queue = new RequestQueue<Job>({ maxSize: options.maxQueueSize, agingMs: options.agingMs });
    this.leases = new TransactionLeases((lease) => this.endLease(lease, `was rolled back after ${lease.idleTimeoutMs} ms idle`));
    this.sessions = new Sessions((connectionId) => {
      for (const lease of this.leases.ownedBy(connectionId)) void this.endLease(lease, 'was rolled back because its connection closed');
    });
    this.idle = new IdleSignal(() => this.queue.size === 0 && this.running === 0 && this.leases.size === 0);
  }

  /** The RpcHandler of the driver process; every answer is counted under its method. */
  readonly handle = (request: RpcRequest, connection: ServerConnection): Promise<unknown> | unknown =>
    // Unknown names share one entry, so a client cannot grow the statistics without bound.
    this.methods.track(Object.hasOwn(METHODS, request.method) ? request.method : '(unknown)', () => this.dispatch(request, connection));

  private dispatch(request: RpcRequest, connection: ServerConnection): Promise<unknown> | unknown {
    const session = this.sessions.of(connection);
    const spec = Object.hasOwn(METHODS, request.method) ? METHODS[request.method] : undefined;
    if (!spec) {
      throw new RpcError('INVALID_REQUEST', `unknown method "${request.method}"`, { method: request.method });
    }
    const params = validate(spec.params, request.params, { prefix: 'params' }) as Record<string, unknown>;
    switch (request.method) {
      case 'ping':
        return this.ping(params.database === true);
      case 'hello':
        session.client = (params as HelloInput).client;
        session.priority = (params as HelloInput).priority;
        session.owner = (params as HelloInput).role === 'owner';
        return { session_id: session.sessionId };
      case 'stats':
        return this.stats();
    }
    this.policy.check(request.method, params, session.owner);
    const transactionId = typeof params.transaction_id === 'string' ? params.transaction_id : undefined;
    const lease = transactionId === undefined ? null : this.leases.require(transactionId, connection.id);
    if (this.shuttingDown && !lease) {
      throw new RpcError('SHUTTING_DOWN', 'the driver is shutting down and takes no new work');
    }
    // A transaction's requests share its priority, so they stay in one FIFO lane, in order.
    const priority = lease?.priority ?? request.priority ?? session.priority ?? 'normal';
    return new Promise((resolve, reject) => {
      const job: Job = { method: request.method, access: spec.access, params, connection, lease, priority, resolve, reject };
      this.queue.offer(job, {
        priority,
        deadline: this.queue.now() + (request.timeout_ms ?? this.options.requestTimeoutMs),
        client: session.client,
        bypassLimit: spec.access === 'end',
      });
      if (lease) {
        lease.pending++;
        this.leases.touch(lease);
      }
      this.schedule();
    });
  }

  // ---- scheduling ---------------------------------------------------------------------

  private schedule(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    // Let socket reads in between runs, so ping answers and writes pile up for grouping.
    setImmediate(() => this.pump());
  }

  private eligible = (job: Job): boolean => {
    if (job.lease) return !job.lease.busy;
    if (job.access === 'read') return true;
    return !(this.driver.capabilities.singleWriter && this.leases.size > 0);
  };

  private pump(): void {
    this.pumpScheduled = false;
    for (const entry of this.queue.expire()) this.expire(entry);
    while (this.running < this.driver.capabilities.concurrency) {
      const entry = this.queue.take(this.eligible);
      if (!entry) break;
      if (this.driver.capabilities.groupCommit && !entry.item.lease && isGroupable(entry.item.method)) this.runGroup(entry);
      else this.runOne(entry);
    }
    this.armDeadlineTimer();
    this.idle.check();
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
    if (job.lease) {
      job.lease.pending--;
      void this.settleEnded(job.lease);
    }
    const waited = Math.round(this.queue.now() - entry.enqueuedAt);
    job.reject(
      new RpcError('TIMEOUT', `${job.method} was not started within its deadline (waited ${waited} ms in the queue); it was not executed`, {
        waited_ms: waited,
      }),
    );
  }

  private async runOne(entry: QueueEntry<Job>): Promise<void> {
    const job = entry.item;
    const lease = job.lease;
    this.running++;
    if (lease) lease.busy = true;
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
      this.running--;
      if (lease) await this.afterLeaseRequest(lease);
      this.schedule();
    }
  }

  private async execute(job: Job): Promise<unknown> {
    if (job.lease?.ending) {
      throw new RpcError('TRANSACTION_ERROR', `transaction ${job.lease.id} ${job.lease.ending}`, { transaction_id: job.lease.id });
    }
    switch (job.access) {
      case 'begin': {
        const id = await this.driver.beginTransaction();
        const timeout = typeof job.params.timeout_ms === 'number' ? job.params.timeout_ms : this.options.transactionTimeoutMs;
        const lease = this.leases.open(id, job.connection.id, job.priority, timeout);
        // The owner may already be gone: then the transaction dies with it.
        if (job.connection.closed) await this.endLease(lease, 'was rolled back because its connection closed');
        return { transaction_id: id };
      }
      case 'end': {
        const lease = job.lease!;
        const commit = job.method === 'commit_transaction';
        this.leases.close(lease, commit ? 'was committed' : 'was rolled back');
        if (commit) await this.driver.commitTransaction(lease.id);
        else await this.driver.rollbackTransaction(lease.id);
        return { success: true };
      }
      case 'write':
        if (PROTECTION_CHANGES.has(job.method)) {
          const result = await METHODS[job.method]!.invoke!(this.driver, job.params);
          this.policy.update(await this.driver.protectedTables());
          return result;
        }
        return METHODS[job.method]!.invoke!(this.driver, job.params);
      default:
        return METHODS[job.method]!.invoke!(this.driver, job.params);
    }
  }

  private runGroup(first: QueueEntry<Job>): void {
    const members = [first];
    const limit = this.options.maxGroupSize ?? 256;
    while (members.length < limit) {
      const next = this.queue.take((job) => !job.lease && isGroupable(job.method) && this.eligible(job));
      if (!next) break;
      members.push(next);
    }
    this.running++;
    const started = this.queue.now();
    const operations = members.map((entry) => ({ method: entry.item.method, params: entry.item.params }) as GroupableOperation);
    this.driver
      .runGroup(operations)
      .catch((error: unknown) => members.map(() => ({ ok: false as const, error })))
      .then((outcomes) => {
        const elapsed = this.queue.now() - started;
        outcomes.forEach((outcome, i) => {
          const entry = members[i]!;
          this.queue.stats.finished(entry.client, started - entry.enqueuedAt, elapsed, outcome.ok);
          if (outcome.ok) entry.item.resolve(outcome.value);
          else entry.item.reject(outcome.error);
        });
        this.running--;
        this.schedule();
      });
  }

  // ---- transactions -------------------------------------------------------------------

  private async afterLeaseRequest(lease: Lease): Promise<void> {
    lease.busy = false;
    lease.pending--;
    if (lease.ending) await this.settleEnded(lease);
    else this.leases.touch(lease);
  }

  /** End a transaction the client did not end: at once if idle, else after its last request. */
  private async endLease(lease: Lease, how: string): Promise<void> {
    if (lease.ending) return;
    lease.ending = how;
    await this.settleEnded(lease);
  }

  /** Roll back a transaction marked as ending once none of its requests waits or runs. */
  private async settleEnded(lease: Lease): Promise<void> {
    if (lease.ending && !lease.busy && lease.pending === 0) await this.rollbackEnded(lease);
  }

  private async rollbackEnded(lease: Lease): Promise<void> {
    if (lease.closed) return;
    this.leases.close(lease, lease.ending ?? 'was rolled back');
    try {
      await this.driver.rollbackTransaction(lease.id);
    } catch {
      // Already gone on the database side; the lease is released either way.
    }
    this.schedule();
  }

  // ---- sessions, stats, shutdown ------------------------------------------------------

  private async ping(checkDatabase: boolean) {
    if (checkDatabase) await this.driver.check?.();
    const { version, pid } = this.options;
    return { pong: true, driver: this.driver.name, version, uptime_ms: Date.now() - this.startedAt, pid };
  }

  stats(): Record<string, unknown> {
    return {
      uptime_ms: Date.now() - this.startedAt,
      connections: this.sessions.size,
      open_transactions: this.leases.size,
      running: this.running,
      queue: this.queue.snapshot(),
      methods: this.methods.snapshot(),
      driver: this.driver.stats(),
    };
  }

  /** Stop taking new work; requests of open transactions may still finish them. */
  beginShutdown(): void {
    this.shuttingDown = true;
    this.schedule();
  }

  /** Resolves true when nothing waits or runs and no transaction is open, false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean> {
    return this.idle.wait(timeoutMs);
  }

  /** Refuse what still waits, roll back open transactions, close the driver. */
  async close(): Promise<void> {
    this.shuttingDown = true;
    for (const entry of this.queue.drain()) {
      entry.item.reject(new RpcError('SHUTTING_DOWN', `${entry.item.method} was not executed: the driver is shutting down`));
    }
    for (const lease of this.leases.all()) {
      lease.ending = 'was rolled back because the driver shut down';
      await this.rollbackEnded(lease);
    }
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    await this.driver.close();
  }
}
