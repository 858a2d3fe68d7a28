import { RpcError } from '../../ipc/errors.ts';
import {
  type BatchInput,
  type CreateTableInput,
  type DeleteInput,
  type DropTableInput,
  type ExecuteInput,
  type InsertInput,
  type InsertManyInput,
  type SelectInput,
  type SyncSchemaInput,
  type UpdateInput,
  type VectorSearchInput,
} from '../params.ts';
import type { BackupResult, CheckpointResult, Driver, Execution, GroupableOperation, Settled, SyncReport } from '../types.ts';
import type { PgPool, PgQueryable } from './postgres-client.ts';
import { connectPostgres, type PostgresConnection, type PostgresDriverOptions } from './postgres-connect.ts';
import { describeColumns } from '../catalog.ts';
import { PostgresCatalog } from './postgres-catalog.ts';
import { withDeadline } from './postgres-deadline.ts';
import { describeUrl, toRpcError } from './postgres-errors.ts';
import { runOperation, runOperations } from './postgres-operations.ts';
import { PostgresRows } from './postgres-rows.ts';
import { createTable, dropTable } from './postgres-tables.ts';
import { planSchemaSync, readMeta } from './postgres-schema-sync.ts';
import { PostgresTransactions } from './postgres-transactions.ts';
import { PostgresVectorSearch } from './postgres-vector-search.ts';

const NO_DEADLINE: Execution = { deadline: 0, owner: false };

/** Map whatever `work` throws to an RpcError (SQLSTATE in `data.database_code`). */
async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toRpcError(error);
  }
}

/**
 * PostgreSQL behind the driver contract, on a postgres.js pool. Requests run concurrently
 * (one per pooled connection); each transaction holds a reserved connection for its lease
 * while others proceed. No group commit: every autocommit write commits on its own.
 * Maintenance: `backup` is refused (pg_dump does that), `optimize` is ANALYZE, `checkpoint`
 * runs CHECKPOINT where the role may (superuser or pg_checkpoint) and answers zeros: the
 * server manages its own write-ahead log.
 */
export class PostgresDriver implements Driver {
  readonly name = 'postgres';
  readonly capabilities;
  private readonly catalog: PostgresCatalog;
  private readonly rows: PostgresRows;
  private readonly transactions: PostgresTransactions;
  private readonly vectors: PostgresVectorSearch;
  private readonly counters = { transactions: 0, checkpoints: 0 };

  private readonly pool: PgPool;

  private constructor(private readonly connection: PostgresConnection) {
    this.pool = connection.pool;
    this.catalog = new PostgresCatalog(this.pool);
    this.vectors = new PostgresVectorSearch(this.catalog, connection.pgvector, connection.openSpare);
    this.rows = new PostgresRows(this.catalog);
    this.transactions = new PostgresTransactions(this.pool, connection.poolSize);
    const size = connection.poolSize;
    this.capabilities = { singleWriter: false, groupCommit: false, concurrency: size, readers: size, writers: size };
  }

  /** Open the pool and check the server answers; CONNECTION_ERROR naming host:port/database when it does not. */
  static async open(options: PostgresDriverOptions): Promise<PostgresDriver> {
    return new PostgresDriver(await connectPostgres(options));
  }

  // ---- transactions -------------------------------------------------------------------

  async beginTransaction(): Promise<string> {
    const id = await this.transactions.begin();
    this.counters.transactions++;
    return id;
  }

  async commitTransaction(id: string): Promise<void> {
    try {
      await this.transactions.commit(id);
    } finally {
      // A failed COMMIT rolled back: forget tables it had created.
      this.catalog.invalidate();
    }
  }

  async rollbackTransaction(id: string): Promise<void> {
    try {
      await this.transactions.rollback(id);
    } finally {
      this.catalog.invalidate();
    }
  }

  // ---- tables -------------------------------------------------------------------------

  createTable(input: CreateTableInput): Promise<{ success: true; created: boolean }> {
    return mapped(() => createTable(this.pool, this.catalog, input));
  }

  dropTable(input: DropTableInput): Promise<{ success: true; dropped: boolean }> {
    return mapped(() => dropTable(this.pool, this.catalog, input));
  }

  async getTableInfo(tableName: string) {
    return mapped(async () => ({ info: describeColumns(await this.catalog.require(tableName)) }));
  }

  async listTables() {
    return mapped(async () => ({ tables: await this.catalog.names() }));
  }

  // ---- rows ---------------------------------------------------------------------------

  /** One request's work: in its transaction (a savepoint) or on the pool, its statements cancelled at its deadline. */
  private on<T>(what: string, transactionId: string | undefined, execution: Execution, work: (via: PgQueryable) => Promise<T>, atomic = false): Promise<T> {
    const guarded = (via: PgQueryable) => work(withDeadline(via, execution.deadline, what));
    return mapped(() => (atomic ? this.transactions.atomic(transactionId, guarded) : this.transactions.run(transactionId, guarded)));
  }

  insert(input: InsertInput, execution = NO_DEADLINE) {
    return this.on('insert', input.transaction_id, execution, (via) => this.rows.insert(input, via));
  }

  insertMany(input: InsertManyInput, execution = NO_DEADLINE) {
    return this.on('insert_many', input.transaction_id, execution, (via) => this.rows.insertMany(input, via), true);
  }

  update(input: UpdateInput, execution = NO_DEADLINE) {
    return this.on('update', input.transaction_id, execution, (via) => this.rows.update(input, via));
  }

  delete(input: DeleteInput, execution = NO_DEADLINE) {
    return this.on('delete', input.transaction_id, execution, (via) => this.rows.delete(input, via));
  }

  select(input: SelectInput, execution = NO_DEADLINE) {
    return this.on('select', input.transaction_id, execution, (via) => this.rows.select(input, via));
  }

  vectorSearch(input: VectorSearchInput, execution = NO_DEADLINE) {
    return this.on('vector_search', undefined, execution, (via) => this.vectors.search(input, via));
  }

  /**
   * A statement that reads, from a connection that is not the owner's, runs in a READ ONLY
   * transaction: a function it calls cannot write (setval(), a volatile function) either.
   */
  execute(input: ExecuteInput, execution = NO_DEADLINE) {
    if (execution.readOnly && !execution.owner && input.transaction_id === undefined) {
      return mapped(() => this.pool.begin('read only', (tx) => this.rows.execute(input, withDeadline(tx, execution.deadline, 'execute'))));
    }
    return this.on('execute', input.transaction_id, execution, (via) => this.rows.execute(input, via));
  }

  async batch(input: BatchInput, execution = NO_DEADLINE): Promise<{ results: unknown[] }> {
    return { results: await this.on('batch', input.transaction_id, execution, (via) => runOperations(this.rows, input, via), true) };
  }

  /** Never called (no group commit); each write on its own, in order, for a caller that does. */
  async runGroup(operations: GroupableOperation[], executions: Execution[] = []): Promise<Array<Settled<unknown>>> {
    const outcomes: Array<Settled<unknown>> = [];
    for (const [i, operation] of operations.entries()) {
      try {
        const execution = executions[i] ?? NO_DEADLINE;
        const value = await this.on(operation.method, undefined, execution, (via) => runOperation(this.rows, operation.method, operation.params, via));
        outcomes.push({ ok: true, value });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }

  // ---- schema -------------------------------------------------------------------------

  async syncSchema(input: SyncSchemaInput): Promise<SyncReport> {
    return mapped(async () => {
      try {
        return await this.pool.begin(async (tx) => {
          const plan = await planSchemaSync(tx, this.catalog, input.schema_definition, input.dry_run);
          if (input.dry_run) return plan.report;
          for (const statement of plan.statements) await tx.unsafe(statement.sql, statement.params);
          return plan.report;
        });
      } finally {
        this.catalog.invalidate();
      }
    });
  }

  async getSchemaVersion() {
    return mapped(async () => ({ version: (await readMeta(this.pool, this.catalog)).version }));
  }

  async protectedTables(): Promise<string[]> {
    return mapped(async () => (await readMeta(this.pool, this.catalog)).protectedTables);
  }

  // ---- maintenance --------------------------------------------------------------------

  async check(): Promise<void> {
    await mapped(() => this.pool.unsafe('SELECT 1'));
  }

  async backup(): Promise<BackupResult> {
    throw new RpcError('INVALID_REQUEST', 'backup is not supported on PostgreSQL: use pg_dump');
  }

  async optimize(): Promise<{ success: true }> {
    await mapped(() => this.pool.unsafe('ANALYZE'));
    return { success: true };
  }

  async checkpoint(): Promise<CheckpointResult> {
    try {
      await this.pool.unsafe('CHECKPOINT');
      this.counters.checkpoints++;
    } catch (error) {
      // Without the privilege the server's own checkpoints are all there is.
      const cause = toRpcError(error);
      if (!cause.is('PERMISSION_DENIED')) throw cause;
    }
    return { busy: 0, log_frames: 0, checkpointed_frames: 0 };
  }

  // ---- lifecycle ----------------------------------------------------------------------

  stats(): Record<string, unknown> {
    return {
      library: 'postgres.js',
      database: describeUrl(this.connection.url),
      server_version: this.connection.serverVersion,
      pool_size: this.connection.poolSize,
      statement_timeout_ms: this.connection.statementTimeoutMs,
      group_commit: false,
      open_transactions: this.transactions.size,
      vector_search: this.vectors.stats(),
      ...this.counters,
    };
  }

  async close(): Promise<void> {
    await this.transactions.abandon();
    await this.vectors.close();
    await this.pool.end({ timeout: 5 });
  }
}
