import { RpcError } from '../../ipc/errors.ts';
import type { Priority } from '../../ipc/messages.ts';

/** An open transaction, owned by the connection that began it. */
export interface Lease {
  readonly id: string;
  readonly owner: number;
  readonly priority: Priority;
  readonly idleTimeoutMs: number;
  /** Requests of this transaction waiting in the queue or running. */
  pending: number;
  /** A request of this transaction is executing (one at a time, in arrival order). */
  busy: boolean;
  /** Why it is being ended by the driver (idle, connection closed, shutdown), if it is. */
  ending: string | null;
  /** Committed or rolled back: no longer in the table. */
  closed: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const REMEMBERED_ENDINGS = 1000;

/**
 * Transactions are leases (DESIGN §5): owned by one connection, rolled back when idle past
 * their timeout or when that connection closes. Remembers how recent ones ended so a late
 * request is told why its transaction is gone.
 */
export class TransactionLeases {
  private readonly leases = new Map<string, Lease>();
  private readonly endings = new Map<string, string>();

  constructor(private readonly onIdle: (lease: Lease) => void) {}

  get size(): number {
    return this.leases.size;
  }

  all(): Lease[] {
    return [...this.leases.values()];
  }

  open(id: string, owner: number, priority: Priority, idleTimeoutMs: number): Lease {
    const lease: Lease = { id, owner, priority, idleTimeoutMs, pending: 0, busy: false, ending: null, closed: false, timer: undefined };
    this.leases.set(id, lease);
    this.touch(lease);
    return lease;
  }

  /** The lease `id` if `connection` owns it and it is still usable; TRANSACTION_ERROR otherwise. */
  require(id: string, connection: number): Lease {
    const lease = this.leases.get(id);
    if (!lease) {
      const ending = this.endings.get(id);
      throw new RpcError('TRANSACTION_ERROR', ending ? `transaction ${id} ${ending}` : `transaction ${id} does not exist`, {
        transaction_id: id,
      });
    }
    if (lease.owner !== connection) {
      throw new RpcError('TRANSACTION_ERROR', `transaction ${id} belongs to another connection`, { transaction_id: id });
    }
    if (lease.ending) {
      throw new RpcError('TRANSACTION_ERROR', `transaction ${id} ${lease.ending}`, { transaction_id: id });
    }
    return lease;
  }

  ownedBy(connection: number): Lease[] {
    return this.all().filter((lease) => lease.owner === connection);
  }

  /** Restart the idle clock (on every request of the transaction). */
  touch(lease: Lease): void {
    if (lease.closed) return;
    if (lease.timer !== undefined) clearTimeout(lease.timer);
    lease.timer = setTimeout(() => {
      lease.timer = undefined;
      if (lease.pending > 0 || lease.busy) this.touch(lease);
      else this.onIdle(lease);
    }, lease.idleTimeoutMs);
  }

  close(lease: Lease, how: string): void {
    lease.closed = true;
    if (lease.timer !== undefined) clearTimeout(lease.timer);
    this.leases.delete(lease.id);
    this.endings.set(lease.id, how);
    if (this.endings.size > REMEMBERED_ENDINGS) this.endings.delete(this.endings.keys().next().value!);
  }
}
