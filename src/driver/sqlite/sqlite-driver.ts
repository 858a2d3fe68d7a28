import { RpcError } from '../../ipc/errors.ts';
import type { WireError } from '../../ipc/messages.ts';
import type {
  BackupInput,
  BatchInput,
  CheckpointInput,
  CreateTableInput,
  DeleteInput,
  DropTableInput,
  ExecuteInput,
  InsertInput,
  InsertManyInput,
  SelectInput,
  SyncSchemaInput,
  UpdateInput,
  VectorSearchInput,
} from '../params.ts';
import type {
  BackupResult,
  CheckpointResult,
  ColumnDescription,
  Driver,
  DriverCapabilities,
  ExecuteResult,
  Execution,
  GroupableOperation,
  Row,
  RowId,
  Settled,
  SyncReport,
} from '../types.ts';

export type { SynchronousMode } from './sqlite-writer-core.ts';

import { packInsertMany } from '../sql/row-runs.ts';
import { SqliteConnections, type SqliteDriverOptions } from './sqlite-connections.ts';

export type { SqliteDriverOptions } from './sqlite-connections.ts';

/** An insert_many crosses to the writer's thread column by column (row-runs.ts). */
const packed = (operation: GroupableOperation) =>
  operation.method === 'insert_many' ? { method: operation.method, params: packInsertMany(operation.params) } : operation;

/**
 * SQLite behind the driver contract. One writer connection carries every write and every
 * transaction; reader connections, read-only, serve reads outside transactions (and raw
 * statements that only read, and backups), so they see the last committed state (WAL)
 * and never a transaction's uncommitted rows. In the driver process each connection runs
 * on its own thread: a long statement holds its own thread only, while the main thread
 * keeps answering and the other connections keep working; each statement is stopped at
 * its request's deadline.
 */
export class SqliteDriver implements Driver {
  readonly name = 'sqlite';
  readonly capabilities: DriverCapabilities;
  private readonly counters = { groups: 0, grouped_writes: 0, transactions: 0 };
  private openTransaction: string | null = null;

  private constructor(
    private readonly connections: SqliteConnections,
    private readonly options: SqliteDriverOptions,
  ) {
    const readers = connections.readerCount;
    this.capabilities = { singleWriter: true, groupCommit: options.groupCommit ?? true, concurrency: readers + 1, readers, writers: 1 };
  }

  static async open(options: SqliteDriverOptions): Promise<SqliteDriver> {
    return new SqliteDriver(await SqliteConnections.open(options), options);
  }

  private onWriter<T>(op: string, args: unknown, execution?: Execution): Promise<T> {
    return this.connections.onWriter(op, args, execution);
  }

  private onReader<T>(op: string, args: unknown, execution?: Execution): Promise<T> {
    return this.connections.onReader(op, args, execution);
  }

  /** Reads inside a transaction see its own rows: they run on the writer. */
  private read<T>(op: string, args: { transaction_id?: string }, execution?: Execution): Promise<T> {
    return args.transaction_id === undefined ? this.onReader(op, args, execution) : this.onWriter(op, args, execution);
  }

  // ---- transactions -------------------------------------------------------------------

  async beginTransaction(execution?: Execution): Promise<string> {
    const id = await this.onWriter<string>('begin_transaction', undefined, execution);
    this.openTransaction = id;
    this.counters.transactions++;
    return id;
  }

  async commitTransaction(id: string): Promise<void> {
    try {
      await this.onWriter('commit_transaction', { transaction_id: id });
    } finally {
      if (this.openTransaction === id) this.openTransaction = null;
    }
  }

  async rollbackTransaction(id: string): Promise<void> {
    try {
      await this.onWriter('rollback_transaction', { transaction_id: id });
    } finally {
      if (this.openTransaction === id) this.openTransaction = null;
    }
  }

  // ---- tables and rows ----------------------------------------------------------------

  createTable(input: CreateTableInput, execution?: Execution) {
    return this.onWriter<{ success: true; created: boolean }>('create_table', input, execution);
  }

  dropTable(input: DropTableInput, execution?: Execution) {
    return this.onWriter<{ success: true; dropped: boolean }>('drop_table', input, execution);
  }

  getTableInfo(tableName: string, execution?: Execution) {
    return this.onReader<{ info: ColumnDescription[] }>('get_table_info', { table_name: tableName }, execution);
  }

  listTables(execution?: Execution) {
    return this.onReader<{ tables: string[] }>('list_tables', undefined, execution);
  }

  insert(input: InsertInput, execution?: Execution) {
    return this.onWriter<{ row_id: RowId }>('insert', input, execution);
  }

  insertMany(input: InsertManyInput, execution?: Execution) {
    return this.onWriter<{ inserted: number; row_ids: RowId[] }>('insert_many', packInsertMany(input), execution);
  }

  update(input: UpdateInput, execution?: Execution) {
    return this.onWriter<{ affected_rows: number }>('update', input, execution);
  }

  delete(input: DeleteInput, execution?: Execution) {
    return this.onWriter<{ affected_rows: number }>('delete', input, execution);
  }

  select(input: SelectInput, execution?: Execution) {
    return this.read<{ data: Row[] }>('select', input, execution);
  }

  /** Always on a reader: it takes no transaction, and a scan of many vectors must not hold up the writer. */
  vectorSearch(input: VectorSearchInput, execution?: Execution) {
    return this.onReader<{ data: Row[] }>('vector_search', input, execution);
  }

  /** A statement that only reads runs on a reader (outside transactions); anything else on the writer. */
  execute(input: ExecuteInput, execution?: Execution) {
    if (execution?.readOnly) return this.read<ExecuteResult>('execute', input, execution);
    return this.onWriter<ExecuteResult>('execute', input, execution);
  }

  batch(input: BatchInput, execution?: Execution) {
    return this.onWriter<{ results: unknown[] }>('batch', input, execution);
  }

  async runGroup(operations: GroupableOperation[], executions: Execution[] = []): Promise<Array<Settled<unknown>>> {
    const deadlines = operations.map((_, i) => executions[i]?.deadline ?? 0);
    // The call's own deadline is the latest of its members'; each member is armed with its own.
    const latest = deadlines.some((deadline) => deadline === 0) ? 0 : Math.max(...deadlines);
    const group = await this.onWriter<{ committed: boolean; outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: WireError }> }>(
      'run_group',
      { operations: operations.map(packed), deadlines },
      { deadline: latest, owner: false },
    );
    if (group.committed) {
      this.counters.groups++;
      this.counters.grouped_writes += operations.length;
    }
    // A failed COMMIT is every member's one error.
    const shared = group.committed ? undefined : RpcError.fromWire((group.outcomes[0] as { error: WireError }).error);
    return group.outcomes.map((outcome) => (outcome.ok ? outcome : { ok: false, error: shared ?? RpcError.fromWire(outcome.error) }));
  }

  // ---- schema and maintenance ---------------------------------------------------------

  syncSchema(input: SyncSchemaInput, execution?: Execution) {
    return this.onWriter<SyncReport>('sync_schema', input, execution);
  }

  getSchemaVersion(execution?: Execution) {
    return this.onReader<{ version: string | null }>('get_schema_version', undefined, execution);
  }

  protectedTables() {
    return this.onReader<string[]>('protected_tables', undefined);
  }

  /** From a reader: the copy never holds up the writer, and the main thread is never busy with it. */
  backup(input: BackupInput, execution?: Execution) {
    return this.onReader<BackupResult>('backup', input, execution);
  }

  optimize(execution?: Execution) {
    return this.onWriter<{ success: true }>('optimize', undefined, execution);
  }

  checkpoint(input: CheckpointInput, execution?: Execution) {
    return this.onWriter<CheckpointResult>('checkpoint', input, execution);
  }

  // ---- lifecycle ----------------------------------------------------------------------

  stats(): Record<string, unknown> {
    return {
      library: this.options.library,
      path: this.options.path,
      synchronous: this.options.synchronous ?? 'full',
      group_commit: this.capabilities.groupCommit,
      readers: this.connections.readerCount,
      open_transaction: this.openTransaction,
      ...this.counters,
    };
  }

  async close(): Promise<void> {
    await this.connections.close();
  }
}
