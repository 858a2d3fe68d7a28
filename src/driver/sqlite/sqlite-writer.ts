import { RpcError } from '../../ipc/errors.ts';
import type { SqliteEngine } from './engine.ts';

/**
 * The writer connection and the one transaction that may be open on it. Every write and
 * every transaction goes through here; the queue makes sure other writers wait while a
 * transaction is open, and this class refuses anything that slipped past it.
 */
export class SqliteWriter {
  private open: string | null = null;
  private counter = 0;
  /** Transactions SQLite rolled back by itself (an interrupted write does), and why. */
  private readonly lost = new Map<string, string>();

  constructor(readonly engine: SqliteEngine) {}

  get openTransaction(): string | null {
    return this.open;
  }

  begin(): string {
    if (this.open) throw new RpcError('INTERNAL_ERROR', `a transaction (${this.open}) is already open on the writer`);
    this.engine.exec('BEGIN IMMEDIATE');
    this.open = `tx-${++this.counter}-${crypto.randomUUID().slice(0, 8)}`;
    return this.open;
  }

  /** Commit; when COMMIT fails the transaction is rolled back and TRANSACTION_ERROR thrown. */
  commit(id: string): void {
    this.require(id);
    this.open = null;
    try {
      this.engine.exec('COMMIT');
    } catch (error) {
      if (this.engine.inTransaction) this.engine.exec('ROLLBACK');
      throw new RpcError('TRANSACTION_ERROR', `commit of ${id} failed, rolled back: ${(error as Error).message}`, {
        ...(error instanceof RpcError ? error.data : {}),
        transaction_id: id,
      });
    }
  }

  rollback(id: string): void {
    // Rolled back already: rolling it back again is what the caller wanted anyway.
    if (this.lost.delete(id)) return;
    this.require(id);
    this.open = null;
    if (this.engine.inTransaction) this.engine.exec('ROLLBACK');
  }

  /**
   * After a statement failed: when SQLite rolled the whole open transaction back (it does
   * for a write stopped at its deadline), the transaction is gone, and later requests of it
   * are told why.
   */
  noticeRollback(why: string): void {
    if (this.open === null || this.engine.inTransaction) return;
    this.lost.set(this.open, why);
    if (this.lost.size > 100) this.lost.delete(this.lost.keys().next().value!);
    this.open = null;
  }

  /** Roll back whatever is open (shutdown). */
  abandon(): void {
    this.open = null;
    if (this.engine.inTransaction) this.engine.exec('ROLLBACK');
  }

  require(id: string): void {
    if (id === this.open) return;
    const lost = this.lost.get(id);
    throw new RpcError('TRANSACTION_ERROR', lost ? `transaction ${id} was rolled back: ${lost}` : `transaction ${id} is not open`, { transaction_id: id });
  }

  /** The engine for a write inside the given transaction, or in none. */
  forWrite(transactionId: string | undefined): SqliteEngine {
    if (transactionId !== undefined) this.require(transactionId);
    else if (this.open) {
      // The queue keeps other writers out while a transaction is open; reaching here is a bug.
      throw new RpcError('INTERNAL_ERROR', `write outside transaction ${this.open} while it is open`);
    }
    return this.engine;
  }

  /** Run `work` all-or-nothing: a savepoint inside a transaction, its own transaction outside. */
  atomic<T>(work: () => T): T {
    const nested = this.engine.inTransaction;
    this.engine.exec(nested ? 'SAVEPOINT atomic_call' : 'BEGIN IMMEDIATE');
    try {
      const result = work();
      this.engine.exec(nested ? 'RELEASE atomic_call' : 'COMMIT');
      return result;
    } catch (error) {
      if (nested) this.engine.exec('ROLLBACK TO atomic_call; RELEASE atomic_call');
      else if (this.engine.inTransaction) this.engine.exec('ROLLBACK');
      throw error;
    }
  }
}
