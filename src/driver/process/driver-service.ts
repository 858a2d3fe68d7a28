import { RpcError } from '../../ipc/errors.ts';
import type { RpcRequest } from '../../ipc/messages.ts';
import type { ServerConnection } from '../../ipc/types.ts';
import { MethodStats } from '../../queue/method-stats.ts';
import { RequestQueue } from '../../queue/request-queue.ts';
import { type ControlSurface, methodSpec } from '../methods.ts';
import type { HelloInput } from '../params.ts';
import type { Driver } from '../types.ts';
import { AccessPolicy } from './access-policy.ts';
import { Admission } from './admission.ts';
import { IdleSignal } from './idle-signal.ts';
import type { Job } from './job.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import { Scheduler } from './scheduler.ts';
import { type Session, Sessions } from './sessions.ts';

export interface DriverServiceOptions {
  /** queue.max_size */
  maxQueueSize: number;
  /** Deadline of a request that sets no `timeout_ms` of its own (queue.timeout_ms): in the queue, and for its statement. */
  requestTimeoutMs: number;
  /** Idle limit of a transaction that sets no `timeout_ms` of its own. */
  transactionTimeoutMs: number;
  agingMs?: number;
  /** Most autocommit writes that share one group commit. */
  maxGroupSize?: number;
  version: string;
  /** Reported by ping, so a second driver can name the one already running. */
  pid: number;
  /** Runs a callback after the I/O already waiting (the runtime's `defer`). */
  defer: (callback: () => void) => void;
  /** The process's memory (the runtime's `memoryUsage`), reported by stats. */
  memoryUsage?: () => { rss: number; heapUsed: number };
}

const megabytes = ({ rss, heapUsed }: { rss: number; heapUsed: number }) => ({
  rss_mb: Math.round(rss / 104857.6) / 10,
  heap_used_mb: Math.round(heapUsed / 104857.6) / 10,
});

/** Methods after which the recorded protected tables may have changed. */
const PROTECTION_CHANGES = new Set(['create_table', 'drop_table', 'sync_schema']);

/**
 * The heart of the driver process, put together: admission (validation, access, leases,
 * priority and deadline, once per request), the priority queue, the scheduler that runs
 * requests on the driver, and the statistics. The RpcHandler of the socket and of the
 * in-process transport alike.
 */
export class DriverService {
  private readonly queue: RequestQueue<Job>;
  private readonly sessions: Sessions;
  private readonly keeper: LeaseKeeper;
  private readonly policy: AccessPolicy;
  private readonly admission: Admission;
  private readonly scheduler: Scheduler;
  private readonly idle: IdleSignal;
  private readonly methods = new MethodStats();
  private readonly startedAt = Date.now();

  /** A service over `driver`, knowing the protected tables the database records. */
  static async open(driver: Driver, options: DriverServiceOptions): Promise<DriverService> {
    return new DriverService(driver, options, await driver.protectedTables());
  }

  private constructor(
    private readonly driver: Driver,
    private readonly options: DriverServiceOptions,
    protectedTables: string[],
  ) {
    this.queue = new RequestQueue<Job>({
      maxSize: options.maxQueueSize,
      agingMs: options.agingMs,
      onEvicted: (entry) =>
        entry.item.reject(
          new RpcError('QUEUE_FULL', `${entry.item.method} was pushed out of the full queue to make room for another client's request; it was not executed`, {
            max_size: options.maxQueueSize,
          }),
        ),
    });
    this.keeper = new LeaseKeeper(driver, () => this.scheduler.schedule());
    this.sessions = new Sessions((connectionId) => this.connectionClosed(connectionId));
    this.policy = new AccessPolicy(driver.name, protectedTables);
    this.admission = new Admission(this.queue, this.sessions, this.keeper, this.policy, options);
    this.scheduler = new Scheduler(this.queue, driver, this.keeper, {
      defer: options.defer,
      transactionTimeoutMs: options.transactionTimeoutMs,
      maxGroupSize: options.maxGroupSize,
      control: this.controlFor(undefined),
      afterWrite: async (job) => {
        if (PROTECTION_CHANGES.has(job.method)) this.policy.update(await this.driver.protectedTables());
      },
      onTurn: () => this.idle.check(),
    });
    this.idle = new IdleSignal(() => this.queue.size === 0 && this.scheduler.runningCount === 0 && this.keeper.leases.size === 0);
  }

  /** The RpcHandler of the driver process; every answer is counted under its method. */
  readonly handle = (request: RpcRequest, connection: ServerConnection): Promise<unknown> | unknown =>
    // Unknown names share one entry, so a client cannot grow the statistics without bound.
    this.methods.track(methodSpec(request.method) ? request.method : '(unknown)', () => this.dispatch(request, connection));

  private dispatch(request: RpcRequest, connection: ServerConnection): Promise<unknown> | unknown {
    let settle!: Pick<Job, 'resolve' | 'reject'>;
    const result = new Promise((resolve, reject) => (settle = { resolve, reject }));
    const admitted = this.admission.admit(request, connection, settle);
    if (admitted.control) {
      const { spec, params, session } = admitted;
      return spec.run({ params, driver: this.driver, execution: { deadline: 0, owner: session.owner }, control: this.controlFor(session) });
    }
    this.scheduler.schedule(admitted.job.spec.groupable === true && admitted.job.lease === null);
    return result;
  }

  /** What waits for a closed connection will never be answered: it leaves the queue, its transactions end. */
  private connectionClosed(connectionId: number): void {
    for (const entry of this.queue.dropSource(connectionId)) {
      if (entry.item.lease) void this.keeper.dropped(entry.item.lease);
      entry.item.reject(new RpcError('CONNECTION_ERROR', `${entry.item.method} was not executed: its connection closed`));
    }
    this.keeper.connectionClosed(connectionId);
    this.idle.check();
  }

  /** What control methods may ask, for the session that asks (hello names it). */
  private controlFor(session: Session | undefined): ControlSurface {
    return {
      ping: (checkDatabase) => this.ping(checkDatabase),
      stats: () => this.stats(),
      hello: (params) => {
        const hello = params as HelloInput;
        if (!session) throw new RpcError('INTERNAL_ERROR', 'hello without a session');
        session.client = hello.client;
        session.priority = hello.priority;
        session.owner = hello.role === 'owner';
        return { session_id: session.sessionId };
      },
    };
  }

  private async ping(checkDatabase: boolean) {
    if (checkDatabase) await this.driver.check?.();
    const { version, pid } = this.options;
    return { pong: true, driver: this.driver.name, version, uptime_ms: Date.now() - this.startedAt, pid };
  }

  stats(): Record<string, unknown> {
    return {
      uptime_ms: Date.now() - this.startedAt,
      connections: this.sessions.size,
      owner_connections: this.sessions.owners,
      open_transactions: this.keeper.leases.size,
      running: this.scheduler.runningCount,
      protected_tables: this.policy.protectedTables,
      queue: this.queue.snapshot(),
      methods: this.methods.snapshot(),
      driver: this.driver.stats(),
      ...(this.options.memoryUsage ? { memory: megabytes(this.options.memoryUsage()) } : {}),
    };
  }

  /** Stop taking new work; requests of open transactions may still finish them. */
  beginShutdown(): void {
    this.admission.close();
    this.scheduler.schedule();
  }

  /** Resolves true when nothing waits or runs and no transaction is open, false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean> {
    return this.idle.wait(timeoutMs);
  }

  /** Refuse what still waits, roll back open transactions, close the driver. */
  async close(): Promise<void> {
    this.admission.close();
    for (const entry of this.queue.drain()) {
      entry.item.reject(new RpcError('SHUTTING_DOWN', `${entry.item.method} was not executed: the driver is shutting down`));
    }
    await this.keeper.endAll('was rolled back because the driver shut down');
    this.scheduler.stop();
    await this.driver.close();
  }
}
