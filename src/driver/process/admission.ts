import { RpcError } from '../../ipc/errors.ts';
import type { RpcRequest } from '../../ipc/messages.ts';
import type { ServerConnection } from '../../ipc/types.ts';
import { validate } from '../../ipc/validate.ts';
import type { RequestQueue } from '../../queue/request-queue.ts';
import { type MethodSpec, methodSpec } from '../methods.ts';
import type { AccessPolicy } from './access-policy.ts';
import type { Job } from './job.ts';
import type { LeaseKeeper } from './lease-keeper.ts';
import type { Session, Sessions } from './sessions.ts';

export interface AdmissionOptions {
  /** Deadline of a request that sets no `timeout_ms` of its own (queue.timeout_ms). */
  requestTimeoutMs: number;
}

/** A request that passed admission: a control method to answer now, or a job for the queue. */
export type Admitted = { control: true; spec: MethodSpec; params: Record<string, unknown>; session: Session } | { control: false; job: Job };

/**
 * Everything checked once, when a request arrives, before anything runs: the method (looked
 * up once), its params (validated once, against schemas that describe them fully), who may
 * do it (protected tables, the execute guards), which transaction it belongs to, its
 * priority and its deadline. What it learns travels with the job.
 */
export class Admission {
  private shuttingDown = false;

  constructor(
    private readonly queue: RequestQueue<Job>,
    private readonly sessions: Sessions,
    private readonly keeper: LeaseKeeper,
    private readonly policy: AccessPolicy,
    private readonly options: AdmissionOptions,
  ) {}

  /** Refuse new work from now on; requests of open transactions may still finish them. */
  close(): void {
    this.shuttingDown = true;
  }

  admit(request: RpcRequest, connection: ServerConnection, settle: Pick<Job, 'resolve' | 'reject'>): Admitted {
    const spec = methodSpec(request.method);
    if (!spec) throw new RpcError('INVALID_REQUEST', `unknown method "${request.method}"`, { method: request.method });
    const params = validate(spec.params, request.params, { prefix: 'params' }) as Record<string, unknown>;
    const session = this.sessions.of(connection);
    if (spec.access === 'control') return { control: true, spec, params, session };

    const { readOnly } = this.policy.check(request.method, params, session.owner);
    const transactionId = typeof params.transaction_id === 'string' ? params.transaction_id : undefined;
    const lease = transactionId === undefined ? null : this.keeper.leases.require(transactionId, connection.id);
    if (this.shuttingDown && !lease) throw new RpcError('SHUTTING_DOWN', 'the driver is shutting down and takes no new work');
    // A transaction's requests share its priority, so they stay in one FIFO lane, in order.
    const priority = lease?.priority ?? request.priority ?? session.priority ?? 'normal';
    const timeoutMs = request.timeout_ms ?? this.options.requestTimeoutMs;
    const reads = !lease && (spec.access === 'read' || (request.method === 'execute' && readOnly));
    const job: Job = {
      method: request.method,
      spec,
      params,
      connection,
      session,
      lease,
      priority,
      execution: { deadline: Date.now() + timeoutMs, owner: session.owner, readOnly },
      lane: reads ? 'read' : 'write',
      ...settle,
    };
    this.queue.offer(job, {
      priority,
      deadline: this.queue.now() + timeoutMs,
      client: session.client,
      bypassLimit: spec.access === 'end',
      source: connection.id,
      // A transaction's requests are never pushed out: it would lose one in the middle.
      evictable: !lease && spec.access !== 'end',
    });
    if (lease) this.keeper.queued(lease);
    return { control: false, job };
  }
}
