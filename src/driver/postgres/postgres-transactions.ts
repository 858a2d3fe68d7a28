import { RpcError } from '../../ipc/errors.ts';
import type { PgPool, PgQueryable, PgTransaction } from './postgres-client.ts';
import { toRpcError } from './postgres-errors.ts';

interface OpenTransaction {
  tx: PgTransaction;
  /** Settles when postgres.js has committed or rolled back, or the connection is lost. */
  outcome: Promise<void>;
  finish: (commit: boolean) => void;
  /** Set when the connection closed under the transaction: the server rolled it back. */
  lost: RpcError | null;
}

/** Thrown into postgres.js's transaction callback to make it roll back. */
const ROLLBACK = Symbol('rollback');

/**
 * Open transactions, each a postgres.js `begin` held open for its lease on a connection of
 * the pool. postgres.js watches that connection: when it closes, the transaction is marked
 * lost and never touched again (its connection is back in the pool's hands).
 *
 * Every call inside a transaction runs in a savepoint, so a failing statement leaves the
 * transaction usable as on SQLite (PostgreSQL would otherwise refuse everything until the
 * rollback); locks the failed call took before failing stay until the transaction ends.
 *
 * One pooled connection always stays free of transactions: autocommit work, which the
 * queue may be running on every slot, can then always finish.
 */
export class PostgresTransactions {
  private readonly open = new Map<string, OpenTransaction>();
  private starting = 0;
  private counter = 0;

  constructor(
    private readonly pool: PgPool,
    private readonly poolSize: number,
  ) {}

  get size(): number {
    return this.open.size;
  }

  async begin(): Promise<string> {
    if (this.open.size + this.starting >= this.poolSize - 1) {
      throw new RpcError(
        'TRANSACTION_ERROR',
        `too many open transactions: ${this.open.size} of a pool of ${this.poolSize} connections (one stays free for work outside transactions)`,
        { open_transactions: this.open.size, pool_size: this.poolSize },
      );
    }
    this.starting++;
    try {
      const id = `tx-${++this.counter}-${crypto.randomUUID().slice(0, 8)}`;
      this.open.set(id, await this.start(id));
      return id;
    } finally {
      this.starting--;
    }
  }

  private start(id: string): Promise<OpenTransaction> {
    let finish!: (commit: boolean) => void;
    const decided = new Promise<void>((resolve, reject) => (finish = (commit) => (commit ? resolve() : reject(ROLLBACK))));
    return new Promise<OpenTransaction>((ready, failed) => {
      const outcome = this.pool.begin(async (tx) => {
        ready(entry(tx));
        await decided;
      });
      let open: OpenTransaction | undefined;
      const entry = (tx: PgTransaction) => (open = { tx, outcome, finish, lost: null });
      outcome.catch((error: unknown) => {
        if (!open) return failed(toRpcError(error));
        if (error === ROLLBACK || open.lost) return;
        const cause = toRpcError(error);
        open.lost = new RpcError('TRANSACTION_ERROR', `transaction ${id} was rolled back: ${cause.message}`, { ...cause.data, transaction_id: id });
      });
    });
  }

  private require(id: string): OpenTransaction {
    const open = this.open.get(id);
    if (!open) throw new RpcError('TRANSACTION_ERROR', `transaction ${id} is not open`, { transaction_id: id });
    if (open.lost) throw open.lost;
    return open;
  }

  /**
   * Take the transaction out of the table to end it. A lost one is never finished: its
   * connection is no longer its own, so postgres.js must send nothing more on it.
   */
  private end(id: string): OpenTransaction | RpcError {
    const open = this.open.get(id);
    if (!open) throw new RpcError('TRANSACTION_ERROR', `transaction ${id} is not open`, { transaction_id: id });
    this.open.delete(id);
    return open.lost ?? open;
  }

  /** Commit; a failed COMMIT has rolled back: TRANSACTION_ERROR (CONNECTION_ERROR when the server went away during it: outcome unknown). */
  async commit(id: string): Promise<void> {
    const open = this.end(id);
    if (open instanceof RpcError) throw open;
    open.finish(true);
    try {
      await open.outcome;
    } catch (error) {
      const mapped = toRpcError(error);
      if (mapped.is('CONNECTION_ERROR')) throw mapped;
      throw new RpcError('TRANSACTION_ERROR', `commit of ${id} failed, rolled back: ${mapped.message}`, { ...mapped.data, transaction_id: id });
    }
  }

  /** Roll back; a transaction lost with its connection is rolled back already. */
  async rollback(id: string): Promise<void> {
    const open = this.end(id);
    if (open instanceof RpcError) return;
    open.finish(false);
    await open.outcome.catch(() => undefined);
  }

  /** Roll back whatever is open (shutdown). */
  async abandon(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.rollback(id)));
  }

  /**
   * Run `work` all-or-nothing: in a savepoint of the transaction `id`, or in a transaction
   * of its own on a pooled connection when there is none.
   */
  atomic<T>(id: string | undefined, work: (via: PgQueryable) => Promise<T>): Promise<T> {
    if (id === undefined) return this.pool.begin(work);
    return this.require(id).tx.savepoint(work);
  }

  /** Run one statement's worth of work: on the pool outside a transaction, in a savepoint inside one. */
  run<T>(id: string | undefined, work: (via: PgQueryable) => Promise<T>): Promise<T> {
    return id === undefined ? work(this.pool) : this.atomic(id, work);
  }
}
