import { RpcError } from '../../ipc/errors.ts';
import { validate } from '../../ipc/validate.ts';
import { METHODS } from '../methods.ts';
import {
  BATCH_PARAMS,
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
} from '../params.ts';
import { hasChanges, metaChangesOf, protectedAfter, recordMetaStatements } from '../meta-table.ts';
import { createIndexSql, createTableSql } from '../sql/ddl.ts';
import { quote } from '../sql/identifiers.ts';
import type { BackupResult, CheckpointResult, Driver, GroupableOperation, Settled, SyncReport } from '../types.ts';
import { openPool, type PgPool, type PgQueryable } from './postgres-client.ts';
import { describeColumns } from '../catalog.ts';
import { PostgresCatalog } from './postgres-catalog.ts';
import { describeUrl, toRpcError } from './postgres-errors.ts';
import { postgresDialect } from './postgres-dialect.ts';
import { PostgresRows } from './postgres-rows.ts';
import { planSchemaSync, readMeta } from './postgres-schema-sync.ts';
import { PostgresTransactions } from './postgres-transactions.ts';

export interface PostgresDriverOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** Pooled connections (database.pool_size); also how many requests run at once. */
  poolSize?: number;
  /**
   * Server-side limit of one statement (statement_timeout), in ms; 0 for none. The driver
   * process sets the queue's request timeout: a request never runs longer than it may wait.
   * A statement cut off by it is TIMEOUT.
   */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
}

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
  private readonly counters = { transactions: 0, checkpoints: 0 };

  private constructor(
    private readonly pool: PgPool,
    private readonly options: PostgresDriverOptions & { poolSize: number },
    private readonly serverVersion: string,
  ) {
    this.catalog = new PostgresCatalog(pool);
    this.rows = new PostgresRows(this.catalog);
    this.transactions = new PostgresTransactions(pool, options.poolSize);
    this.capabilities = { singleWriter: false, groupCommit: false, concurrency: options.poolSize };
  }

  /** Open the pool and check the server answers; CONNECTION_ERROR naming host:port/database when it does not. */
  static async open(options: PostgresDriverOptions): Promise<PostgresDriver> {
    const poolSize = Math.max(1, Math.floor(options.poolSize ?? 10));
    const pool = openPool({
      url: options.url,
      poolSize,
      statementTimeoutMs: Math.max(0, Math.floor(options.statementTimeoutMs ?? 0)),
      connectTimeoutS: Math.max(1, Math.ceil((options.connectTimeoutMs ?? 10_000) / 1000)),
    });
    try {
      const [row] = await pool.unsafe('SHOW server_version');
      return new PostgresDriver(pool, { ...options, poolSize }, String(row?.server_version));
    } catch (error) {
      await pool.end({ timeout: 0 }).catch(() => undefined);
      const cause = toRpcError(error);
      throw new RpcError('CONNECTION_ERROR', `cannot connect to PostgreSQL at ${describeUrl(options.url)}: ${cause.message}`, cause.data, {
        cause: error,
      });
    }
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

  async createTable({ schema }: CreateTableInput): Promise<{ success: true; created: boolean }> {
    return mapped(async () => {
      await this.catalog.load();
      const created = !this.catalog.table(schema.name);
      try {
        await this.pool.begin(async (tx) => {
          await tx.unsafe(createTableSql(schema, postgresDialect, { ifNotExists: true }));
          for (const index of schema.indexes) await tx.unsafe(createIndexSql(schema.name, index, { ifNotExists: true }));
          if (schema.protected) await this.recordProtection(tx, [schema]);
        });
      } finally {
        this.catalog.invalidate();
      }
      return { success: true as const, created };
    });
  }

  async dropTable({ table_name, if_exists }: DropTableInput): Promise<{ success: true; dropped: boolean }> {
    return mapped(async () => {
      await this.catalog.load();
      if (!this.catalog.table(table_name)) {
        if (if_exists) return { success: true as const, dropped: false };
        await this.catalog.require(table_name);
      }
      try {
        await this.pool.begin(async (tx) => {
          await tx.unsafe(`DROP TABLE ${quote(table_name)}`);
          await this.recordProtection(tx, [{ name: table_name, protected: false }]);
        });
      } finally {
        this.catalog.invalidate();
      }
      return { success: true as const, dropped: true };
    });
  }

  /** Record that `tables` are now protected or not, when that changes anything. */
  private async recordProtection(via: PgQueryable, tables: Array<{ name: string; protected: boolean }>): Promise<void> {
    const meta = await readMeta(via, this.catalog);
    const changes = metaChangesOf(meta, undefined, protectedAfter(meta.protectedTables, tables));
    if (!hasChanges(changes)) return;
    for (const statement of recordMetaStatements(postgresDialect, changes)) await via.unsafe(statement.sql, statement.params);
  }

  async getTableInfo(tableName: string) {
    return mapped(async () => ({ info: describeColumns(await this.catalog.require(tableName)) }));
  }

  async listTables() {
    return mapped(async () => ({ tables: await this.catalog.names() }));
  }

  // ---- rows ---------------------------------------------------------------------------

  insert(input: InsertInput) {
    return mapped(() => this.transactions.run(input.transaction_id, (via) => this.rows.insert(input, via)));
  }

  insertMany(input: InsertManyInput) {
    return mapped(() => this.transactions.atomic(input.transaction_id, (via) => this.rows.insertMany(input, via)));
  }

  update(input: UpdateInput) {
    return mapped(() => this.transactions.run(input.transaction_id, (via) => this.rows.update(input, via)));
  }

  delete(input: DeleteInput) {
    return mapped(() => this.transactions.run(input.transaction_id, (via) => this.rows.delete(input, via)));
  }

  select(input: SelectInput) {
    return mapped(() => this.transactions.run(input.transaction_id, (via) => this.rows.select(input, via)));
  }

  execute(input: ExecuteInput) {
    return mapped(() => this.transactions.run(input.transaction_id, (via) => this.rows.execute(input, via)));
  }

  async batch(input: BatchInput): Promise<{ results: unknown[] }> {
    const results = await mapped(() =>
      this.transactions.atomic(input.transaction_id, async (via) => {
        const out: unknown[] = [];
        for (const [index, operation] of input.operations.entries()) {
          try {
            if ('transaction_id' in operation.params) {
              throw new RpcError('VALIDATION_ERROR', 'transaction_id belongs on the batch, not on its operations', { field: 'transaction_id' });
            }
            const params = validate(BATCH_PARAMS[operation.method], { ...operation.params, transaction_id: input.transaction_id });
            out.push(await this.rows.run(operation.method, params, via));
          } catch (error) {
            const cause = toRpcError(error);
            throw new RpcError(cause.codeName, `operations[${index}] (${operation.method}): ${cause.message}`, {
              ...cause.data,
              index,
              field: `operations[${index}].params${cause.data?.field ? `.${cause.data.field}` : ''}`,
            });
          }
        }
        return out;
      }),
    );
    return { results };
  }

  /** Never called (no group commit); each write on its own, in order, for a caller that does. */
  async runGroup(operations: GroupableOperation[]): Promise<Array<Settled<unknown>>> {
    const outcomes: Array<Settled<unknown>> = [];
    for (const operation of operations) {
      try {
        outcomes.push({ ok: true, value: await METHODS[operation.method]!.invoke!(this, operation.params) });
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
      database: describeUrl(this.options.url),
      server_version: this.serverVersion,
      pool_size: this.options.poolSize,
      statement_timeout_ms: this.options.statementTimeoutMs ?? 0,
      group_commit: false,
      open_transactions: this.transactions.size,
      ...this.counters,
    };
  }

  async close(): Promise<void> {
    await this.transactions.abandon();
    await this.pool.end({ timeout: 5 });
  }
}
