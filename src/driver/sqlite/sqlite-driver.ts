import { RpcError } from '../../ipc/errors.ts';
import { validate } from '../../ipc/validate.ts';
import { requireTable } from '../catalog.ts';
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
import { createIndexSql, createTableSql } from '../sql/ddl.ts';
import { quote } from '../sql/identifiers.ts';
import { isTransactionControl, splitStatements } from '../sql/statement-kind.ts';
import { bindRow, buildDelete, buildInsert, buildSelect, buildUpdate, type InsertPlan, planInsert } from '../sql/statements.ts';
import type { Driver, ExecuteResult, GroupableOperation, Row, RowId, Settled, SyncReport } from '../types.ts';
import { fromDatabase, untypedToDatabase } from '../values.ts';
import type { SqliteEngine, SqliteRow } from './engine.ts';
import { openSqliteEngine, type SqliteLibrary } from './open-engine.ts';
import { SqliteCatalog } from './sqlite-catalog.ts';
import { SqliteWriter } from './sqlite-writer.ts';
import { sqliteDialect } from './sqlite-dialect.ts';
import { planSchemaSync, readSchemaVersion, recordVersionStatements } from './schema-sync.ts';

export type SynchronousMode = 'off' | 'normal' | 'full' | 'extra';

export interface SqliteDriverOptions {
  path: string;
  library: SqliteLibrary;
  synchronous?: SynchronousMode;
  busyTimeoutMs?: number;
  groupCommit?: boolean;
}

const rowId = (id: bigint): RowId => fromDatabase(id, 'integer') as RowId;

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
  private readonly counters = { groups: 0, grouped_writes: 0, transactions: 0 };

  private constructor(
    writer: SqliteEngine,
    private readonly reader: SqliteEngine,
    private readonly options: SqliteDriverOptions,
  ) {
    this.writer = new SqliteWriter(writer);
    this.catalog = new SqliteCatalog(writer);
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

  /** Reads outside a transaction use the reader: the last committed state. */
  private readConnection(transactionId: string | undefined): SqliteEngine {
    if (transactionId === undefined) return this.reader;
    this.writer.require(transactionId);
    return this.writer.engine;
  }

  // ---- tables -------------------------------------------------------------------------

  async createTable({ schema }: CreateTableInput): Promise<{ success: true; created: boolean }> {
    const engine = this.writer.forWrite(undefined);
    const created = !this.catalog.table(schema.name);
    this.writer.atomic(() => {
      engine.exec(createTableSql(schema, sqliteDialect, { ifNotExists: true }));
      for (const index of schema.indexes) engine.exec(createIndexSql(schema.name, index, { ifNotExists: true }));
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
    engine.exec(`DROP TABLE ${quote(table_name)}`);
    this.catalog.invalidate();
    return { success: true, dropped: true };
  }

  async getTableInfo(tableName: string) {
    return { info: this.catalog.describe(requireTable(this.catalog, tableName)) };
  }

  async listTables() {
    return { tables: this.catalog.names() };
  }

  // ---- rows ---------------------------------------------------------------------------

  private insertRow(engine: SqliteEngine, table: string, data: Record<string, unknown>, field = 'data'): RowId {
    const statement = buildInsert(requireTable(this.catalog, table), data, sqliteDialect, field);
    return rowId(engine.run(statement.sql, statement.params).lastInsertRowid);
  }

  private doInsert(input: InsertInput) {
    return { row_id: this.insertRow(this.writer.forWrite(input.transaction_id), input.table_name, input.data) };
  }

  private doInsertMany(input: InsertManyInput) {
    const engine = this.writer.forWrite(input.transaction_id);
    const table = requireTable(this.catalog, input.table_name);
    // Rows with the same columns share one statement: plan it once, bind each row.
    const plans = new Map<string, InsertPlan>();
    const row_ids = this.writer.atomic(() =>
      input.rows.map((row, i) => {
        const columns = Object.keys(row);
        const signature = columns.join(',');
        let plan = plans.get(signature);
        if (!plan) plans.set(signature, (plan = planInsert(table, columns, sqliteDialect, `rows[${i}]`)));
        return rowId(engine.run(plan.sql, bindRow(plan, row, sqliteDialect, `rows[${i}]`)).lastInsertRowid);
      }),
    );
    return { inserted: row_ids.length, row_ids };
  }

  private doUpdate(input: UpdateInput) {
    const engine = this.writer.forWrite(input.transaction_id);
    const statement = buildUpdate(requireTable(this.catalog, input.table_name), input.where, input.data, sqliteDialect);
    return { affected_rows: engine.run(statement.sql, statement.params).changes };
  }

  private doDelete(input: DeleteInput) {
    const engine = this.writer.forWrite(input.transaction_id);
    const statement = buildDelete(requireTable(this.catalog, input.table_name), input.where, sqliteDialect);
    return { affected_rows: engine.run(statement.sql, statement.params).changes };
  }

  private doSelect(input: SelectInput, engine = this.readConnection(input.transaction_id)) {
    const statement = buildSelect(requireTable(this.catalog, input.table_name), input, sqliteDialect);
    const rows = engine.all(statement.sql, statement.params);
    const data = rows.map((row) => {
      const out: Row = {};
      for (const column of statement.columns) out[column.name] = fromDatabase(row[column.name], column.type);
      return out;
    });
    return { data };
  }

  private doExecute(input: ExecuteInput): ExecuteResult {
    const statements = splitStatements(input.sql);
    if (statements.length !== 1) {
      throw new RpcError('VALIDATION_ERROR', `sql: expected exactly one statement, found ${statements.length}`, { field: 'sql' });
    }
    if (isTransactionControl(statements[0]!)) {
      throw new RpcError('VALIDATION_ERROR', 'sql: transaction control statements are refused; use begin_transaction / commit_transaction', {
        field: 'sql',
      });
    }
    const engine = this.writer.forWrite(input.transaction_id);
    const params = Array.isArray(input.params)
      ? input.params.map((value, i) => untypedToDatabase(value, `params[${i}]`, sqliteDialect.bind))
      : input.params &&
        Object.fromEntries(Object.entries(input.params).map(([key, value]) => [key, untypedToDatabase(value, `params.${key}`, sqliteDialect.bind)]));
    try {
      const result = engine.query(input.sql, params);
      const out: ExecuteResult = { affected_rows: result.changes, last_row_id: rowId(result.lastInsertRowid) };
      if (result.rows) out.rows = result.rows.map(decodeUntypedRow);
      return out;
    } finally {
      // Raw SQL may change the schema.
      this.catalog.invalidate();
    }
  }

  async insert(input: InsertInput) {
    return this.doInsert(input);
  }

  async insertMany(input: InsertManyInput) {
    return this.doInsertMany(input);
  }

  async update(input: UpdateInput) {
    return this.doUpdate(input);
  }

  async delete(input: DeleteInput) {
    return this.doDelete(input);
  }

  async select(input: SelectInput) {
    return this.doSelect(input);
  }

  async execute(input: ExecuteInput) {
    return this.doExecute(input);
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
          switch (operation.method) {
            case 'insert':
              return this.doInsert(params as InsertInput);
            case 'insert_many':
              return this.doInsertMany(params as InsertManyInput);
            case 'update':
              return this.doUpdate(params as UpdateInput);
            case 'delete':
              return this.doDelete(params as DeleteInput);
            case 'select':
              return this.doSelect(params as SelectInput, engine);
            case 'execute':
              return this.doExecute(params as ExecuteInput);
          }
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
          outcomes.push({ ok: true, value: this.runGroupable(operation) });
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

  private runGroupable(operation: GroupableOperation): unknown {
    switch (operation.method) {
      case 'insert':
        return this.doInsert(operation.params);
      case 'insert_many':
        return this.doInsertMany(operation.params);
      case 'update':
        return this.doUpdate(operation.params);
      case 'delete':
        return this.doDelete(operation.params);
    }
  }

  // ---- schema -------------------------------------------------------------------------

  async syncSchema(input: SyncSchemaInput): Promise<SyncReport> {
    const engine = this.writer.forWrite(undefined);
    const plan = planSchemaSync(engine, this.catalog, input.schema_definition, input.dry_run);
    if (input.dry_run) return plan.report;
    try {
      this.writer.atomic(() => {
        for (const sql of plan.statements) engine.exec(sql);
        for (const statement of recordVersionStatements(input.schema_definition.version)) engine.run(statement.sql, statement.params);
      });
    } finally {
      this.catalog.invalidate();
    }
    return plan.report;
  }

  async getSchemaVersion() {
    return { version: readSchemaVersion(this.writer.engine, this.catalog) };
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

function decodeUntypedRow(row: SqliteRow): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = fromDatabase(value, null);
  return out;
}
