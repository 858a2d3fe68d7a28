import type { Priority } from '../../ipc/messages.ts';
import type { Driver, Execution } from '../types.ts';
import { type Lease, TransactionLeases } from './transaction-leases.ts';

/**
 * The life of transaction leases (DESIGN §5) against the driver: begin, commit and roll
 * back; a lease whose connection closed, or that stayed idle past its timeout, is rolled
 * back once none of its requests waits or runs. One request of a transaction runs at a
 * time, in the order sent.
 */
export class LeaseKeeper {
  readonly leases: TransactionLeases;

  constructor(
    private readonly driver: Driver,
    /** Called when a lease is gone: writers it held back may run now. */
    private readonly released: () => void,
  ) {
    this.leases = new TransactionLeases((lease) => void this.end(lease, `was rolled back after ${lease.idleTimeoutMs} ms idle`));
  }

  /** A connection closed: its transactions end (at once when idle, else after their last request). */
  connectionClosed(connectionId: number): void {
    for (const lease of this.leases.ownedBy(connectionId)) void this.end(lease, 'was rolled back because its connection closed');
  }

  async begin(owner: { id: number; closed: boolean }, priority: Priority, idleTimeoutMs: number, execution: Execution): Promise<string> {
    const id = await this.driver.beginTransaction(execution);
    const lease = this.leases.open(id, owner.id, priority, idleTimeoutMs);
    // The owner may already be gone: then the transaction dies with it.
    if (owner.closed) await this.end(lease, 'was rolled back because its connection closed');
    return id;
  }

  async finish(lease: Lease, commit: boolean): Promise<void> {
    this.leases.close(lease, commit ? 'was committed' : 'was rolled back');
    if (commit) await this.driver.commitTransaction(lease.id);
    else await this.driver.rollbackTransaction(lease.id);
  }

  /** A request of the lease entered the queue. */
  queued(lease: Lease): void {
    lease.pending++;
    this.leases.touch(lease);
  }

  /** A request of the lease left the queue without running (its deadline passed). */
  async dropped(lease: Lease): Promise<void> {
    lease.pending--;
    await this.settleEnded(lease);
  }

  started(lease: Lease): void {
    lease.busy = true;
  }

  async done(lease: Lease): Promise<void> {
    lease.busy = false;
    lease.pending--;
    if (lease.ending) await this.settleEnded(lease);
    else this.leases.touch(lease);
  }

  /** End a transaction the client did not end: at once if idle, else after its last request. */
  async end(lease: Lease, how: string): Promise<void> {
    if (lease.ending) return;
    lease.ending = how;
    await this.settleEnded(lease);
  }

  /** Roll back every open transaction (shutdown). */
  async endAll(how: string): Promise<void> {
    for (const lease of this.leases.all()) {
      lease.ending = how;
      await this.rollbackEnded(lease);
    }
  }

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
    this.released();
  }
}
