import { RpcError } from '../../ipc/errors.ts';
import type { WireError } from '../../ipc/messages.ts';
import type { Runtime } from '../../runtime/types.ts';
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
} from '../params.ts';
import type {
  BackupFiles,
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
import type { SqliteLibrary } from './open-engine.ts';
import type { ConnectionSettings } from './sqlite-calls.ts';
import { InlineLane, type SqliteLane, ThreadLane } from './sqlite-lanes.ts';
import type { SynchronousMode } from './sqlite-writer-core.ts';

export type { SynchronousMode } from './sqlite-writer-core.ts';

export interface SqliteDriverOptions {
  path: string;
  library: SqliteLibrary;
  synchronous?: SynchronousMode;
  busyTimeoutMs?: number;
  groupCommit?: boolean;
  /** Where `backup` writes (and `sync_schema` backs up unless told otherwise); without it `backup` is refused. */
  backupDir?: string;
  /** The file operations backups need (the runtime's). */
  files: BackupFiles;
  /** Run each connection on its own thread of this runtime (the driver process); without it, on the calling thread. */
  runtime?: Runtime;
  /** Reader connections (threads): reads run on that many at once beside the writer. */
  readers?: number;
  /** Path of the sqlite-deadline extension; without it no statement may carry a deadline. */
  deadlines?: string;
  /** better-sqlite3's addon file, for the threads of the single executable. */
  nativeBinding?: string;
}

const NO_DEADLINE: Execution = { deadline: 0, owner: false };

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
  /** The writer's schema generation: readers read their catalog again when it moved. */
  private generation = 0;

  private constructor(
    private writer: SqliteLane,
    private readonly readers: SqliteLane[],
    private readonly options: SqliteDriverOptions,
  ) {
    this.capabilities = { singleWriter: true, groupCommit: options.groupCommit ?? true, concurrency: readers.length + 1, readers: readers.length, writers: 1 };
  }

  static async open(options: SqliteDriverOptions): Promise<SqliteDriver> {
    // The writer first: it puts the database in WAL mode, which the readers rely on.
    const writer = await SqliteDriver.lane(options, 'writer');
    const readers: SqliteLane[] = [];
    try {
      for (let i = 0; i < Math.max(1, Math.floor(options.readers ?? 2)); i++) readers.push(await SqliteDriver.lane(options, 'reader'));
    } catch (error) {
      await Promise.all([writer, ...readers].map((lane) => lane.close()));
      throw error;
    }
    return new SqliteDriver(writer, readers, options);
  }

  private static lane(options: SqliteDriverOptions, role: ConnectionSettings['role']): Promise<SqliteLane> {
    const settings: ConnectionSettings = {
      role,
      path: options.path,
      library: options.library,
      synchronous: options.synchronous,
      busyTimeoutMs: options.busyTimeoutMs,
      backupDir: options.backupDir,
      deadlines: options.deadlines,
      nativeBinding: options.nativeBinding,
    };
    return options.runtime ? ThreadLane.open(options.runtime, settings, options.files) : InlineLane.open(settings, options.files);
  }

  // ---- where a call runs --------------------------------------------------------------

  private async onWriter<T>(op: string, args: unknown, execution: Execution = NO_DEADLINE): Promise<T> {
    if (!this.writer.alive) this.writer = await SqliteDriver.lane(this.options, 'writer');
    const answer = await this.writer.call({ op, args, deadline: execution.deadline }).catch((error: unknown) => {
      this.generation++;
      throw error;
    });
    this.generation = Math.max(this.generation, answer.generation);
    return answer.value as T;
  }

  /** On the least busy reader (the scheduler runs at most one call per reader at a time). */
  private async onReader<T>(op: string, args: unknown, execution: Execution = NO_DEADLINE): Promise<T> {
    let index = 0;
    for (let i = 1; i < this.readers.length; i++) if (this.readers[i]!.load < this.readers[index]!.load) index = i;
    if (!this.readers[index]!.alive) this.readers[index] = await SqliteDriver.lane(this.options, 'reader');
    const answer = await this.readers[index]!.call({ op, args, deadline: execution.deadline, generation: this.generation });
    return answer.value as T;
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
    return this.onWriter<{ inserted: number; row_ids: RowId[] }>('insert_many', input, execution);
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
      { operations, deadlines },
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
      readers: this.readers.length,
      open_transaction: this.openTransaction,
      ...this.counters,
    };
  }

  /** The readers first, then the writer: it rolls back what is open and checkpoints the WAL. */
  async close(): Promise<void> {
    await Promise.all(this.readers.map((lane) => lane.close()));
    await this.writer.close();
  }
}
