import { RpcError } from '../../ipc/errors.ts';
import { validate } from '../../ipc/validate.ts';
import { describeColumns, requireTable } from '../catalog.ts';
import {
  type BackupInput,
  BATCH_PARAMS,
  type BatchInput,
  type CheckpointInput,
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
import type { BackupLocation, BackupResult, CheckpointResult, Driver, GroupableOperation, Settled, SyncReport } from '../types.ts';
import type { SqliteEngine } from './engine.ts';
import { openSqliteEngine, type SqliteLibrary } from './open-engine.ts';
import { SqliteCatalog } from './sqlite-catalog.ts';
import { backupInto, checkpoint, optimize } from './sqlite-maintenance.ts';
import { SqliteRows } from './sqlite-rows.ts';
import { SqliteWriter } from './sqlite-writer.ts';
import { sqliteDialect } from './sqlite-dialect.ts';
import { readMeta, syncSchema } from './schema-sync.ts';

export type SynchronousMode = 'off' | 'normal' | 'full' | 'extra';

export interface SqliteDriverOptions {
  path: string;
  library: SqliteLibrary;
  synchronous?: SynchronousMode;
  busyTimeoutMs?: number;
  groupCommit?: boolean;
  /** Where `backup` writes; without it `backup` is refused. */
  backups?: BackupLocation;
}

/**
 * SQLite behind the driver contract. One writer connection carries every write and every
 * transaction; a second, query-only connection serves reads outside transactions, so they
 * see the last committed state (WAL) and never a transaction's uncommitted rows.
 */
export class SqliteDriver implements Driver {
  readonly name = 'sqlite';
  readonly capabilities;
  private readonly catalog: SqliteCatalog;
  private readonly writer: SqliteWriter;
  private readonly rows: SqliteRows;
  private readonly counters = { groups: 0, grouped_writes: 0, transactions: 0 };

  private constructor(
    writer: SqliteEngine,
    private readonly reader: SqliteEngine,
    private readonly options: SqliteDriverOptions,
  ) {
    this.writer = new SqliteWriter(writer);
    this.catalog = new SqliteCatalog(writer);
    this.rows = new SqliteRows(this.writer, reader, this.catalog);
    this.capabilities = { singleWriter: true, groupCommit: options.groupCommit ?? true, concurrency: 1 };
  }

  static async open(options: SqliteDriverOptions): Promise<SqliteDriver> {
    const writer = await openSqliteEngine(options.library, options.path);
    try {
      const busy = Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000));
      writer.exec(`PRAGMA busy_timeout = ${busy}`);
      const mode = writer.all('PRAGMA journal_mode = WAL') as Array<{ journal_mode: string }>;
      if (mode[0]?.journal_mode.toLowerCase() !== 'wal') {
        throw new RpcError('DATABASE_ERROR', `cannot switch ${options.path} to WAL mode (got ${mode[0]?.journal_mode})`);
      }
      writer.exec(`PRAGMA synchronous = ${(options.synchronous ?? 'full').toUpperCase()}; PRAGMA foreign_keys = ON`);
      const reader = await openSqliteEngine(options.library, options.path);
      reader.exec(`PRAGMA busy_timeout = ${busy}; PRAGMA foreign_keys = ON; PRAGMA query_only = ON`);
      return new SqliteDriver(writer, reader, options);
    } catch (error) {
      writer.close();
      throw error;
    }
  }

  // ---- transactions -------------------------------------------------------------------

  async beginTransaction(): Promise<string> {
    const id = this.writer.begin();
    this.counters.transactions++;
    return id;
  }

  async commitTransaction(id: string): Promise<void> {
    try {
      this.writer.commit(id);
    } catch (error) {
      // A failed COMMIT rolled back: forget tables it had created.
      this.catalog.invalidate();
      throw error;
    }
  }

  async rollbackTransaction(id: string): Promise<void> {
    this.writer.rollback(id);
    this.catalog.invalidate();
  }

  // ---- tables -------------------------------------------------------------------------

  async createTable({ schema }: CreateTableInput): Promise<{ success: true; created: boolean }> {
    const engine = this.writer.forWrite(undefined);
    const created = !this.catalog.table(schema.name);
    this.writer.atomic(() => {
      engine.exec(createTableSql(schema, sqliteDialect, { ifNotExists: true }));
      for (const index of schema.indexes) engine.exec(createIndexSql(schema.name, index, { ifNotExists: true }));
      if (schema.protected) this.recordProtection(engine, [schema]);
    });
    this.catalog.invalidate();
    return { success: true, created };
  }

  async dropTable({ table_name, if_exists }: DropTableInput): Promise<{ success: true; dropped: boolean }> {
    const engine = this.writer.forWrite(undefined);
    if (!this.catalog.table(table_name)) {
      if (if_exists) return { success: true, dropped: false };
      requireTable(this.catalog, table_name);
    }
    this.writer.atomic(() => {
      engine.exec(`DROP TABLE ${quote(table_name)}`);
      this.recordProtection(engine, [{ name: table_name, protected: false }]);
    });
    this.catalog.invalidate();
    return { success: true, dropped: true };
  }

  /** Record that `tables` are now protected or not, when that changes anything. */
  private recordProtection(engine: SqliteEngine, tables: Array<{ name: string; protected: boolean }>): void {
    const meta = readMeta(engine, this.catalog);
    const changes = metaChangesOf(meta, undefined, protectedAfter(meta.protectedTables, tables));
    if (!hasChanges(changes)) return;
    for (const statement of recordMetaStatements(sqliteDialect, changes)) engine.run(statement.sql, statement.params);
  }

  async getTableInfo(tableName: string) {
    return { info: describeColumns(requireTable(this.catalog, tableName)) };
  }

  async listTables() {
    return { tables: this.catalog.names() };
  }

  // ---- rows ---------------------------------------------------------------------------

  async insert(input: InsertInput) {
    return this.rows.insert(input);
  }

  async insertMany(input: InsertManyInput) {
    return this.rows.insertMany(input);
  }

  async update(input: UpdateInput) {
    return this.rows.update(input);
  }

  async delete(input: DeleteInput) {
    return this.rows.delete(input);
  }

  async select(input: SelectInput) {
    return this.rows.select(input);
  }

  async execute(input: ExecuteInput) {
    return this.rows.execute(input);
  }

  async batch(input: BatchInput): Promise<{ results: unknown[] }> {
    const engine = this.writer.forWrite(input.transaction_id);
    const results = this.writer.atomic(() =>
      input.operations.map((operation, index) => {
        try {
          if ('transaction_id' in operation.params) {
            throw new RpcError('VALIDATION_ERROR', 'transaction_id belongs on the batch, not on its operations', { field: 'transaction_id' });
          }
          const params = validate(BATCH_PARAMS[operation.method], { ...operation.params, transaction_id: input.transaction_id });
          // Selects read inside the batch's transaction, so they see its earlier writes.
          return this.rows.run(operation.method, params, engine);
        } catch (error) {
          const cause = RpcError.from(error);
          throw new RpcError(cause.codeName, `operations[${index}] (${operation.method}): ${cause.message}`, {
            ...cause.data,
            index,
            field: `operations[${index}].params${cause.data?.field ? `.${cause.data.field}` : ''}`,
          });
        }
      }),
    );
    return { results };
  }

  async runGroup(operations: GroupableOperation[]): Promise<Array<Settled<unknown>>> {
    const engine = this.writer.forWrite(undefined);
    const outcomes: Array<Settled<unknown>> = [];
    engine.exec('BEGIN IMMEDIATE');
    try {
      for (const operation of operations) {
        engine.exec('SAVEPOINT group_member');
        try {
          outcomes.push({ ok: true, value: this.rows.run(operation.method, operation.params) });
          engine.exec('RELEASE group_member');
        } catch (error) {
          engine.exec('ROLLBACK TO group_member; RELEASE group_member');
          outcomes.push({ ok: false, error });
        }
      }
      engine.exec('COMMIT');
    } catch (error) {
      if (engine.inTransaction) engine.exec('ROLLBACK');
      return operations.map(() => ({ ok: false, error }));
    }
    this.counters.groups++;
    this.counters.grouped_writes += operations.length;
    return outcomes;
  }

  // ---- schema -------------------------------------------------------------------------

  async syncSchema(input: SyncSchemaInput): Promise<SyncReport> {
    const backups = input.backup_dir === undefined ? this.options.backups : { dir: input.backup_dir, fs: this.options.backups?.fs };
    try {
      return await syncSchema(this.writer, this.catalog, input, backups);
    } finally {
      this.catalog.invalidate();
    }
  }

  async getSchemaVersion() {
    return { version: readMeta(this.writer.engine, this.catalog).version };
  }

  async protectedTables(): Promise<string[]> {
    return readMeta(this.writer.engine, this.catalog).protectedTables;
  }

  // ---- maintenance --------------------------------------------------------------------

  async backup(input: BackupInput): Promise<BackupResult> {
    return backupInto(this.writer.forWrite(undefined), this.options.backups, input);
  }

  async optimize(): Promise<{ success: true }> {
    return optimize(this.writer.forWrite(undefined));
  }

  async checkpoint(input: CheckpointInput): Promise<CheckpointResult> {
    return checkpoint(this.writer.forWrite(undefined), input);
  }

  // ---- lifecycle ----------------------------------------------------------------------

  stats(): Record<string, unknown> {
    return {
      library: this.writer.engine.library,
      path: this.options.path,
      synchronous: this.options.synchronous ?? 'full',
      group_commit: this.capabilities.groupCommit,
      open_transaction: this.writer.openTransaction,
      ...this.counters,
    };
  }

  async close(): Promise<void> {
    this.writer.abandon();
    try {
      this.writer.engine.all('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      this.reader.close();
      this.writer.engine.close();
    }
  }
}
