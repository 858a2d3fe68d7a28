import { RpcError } from '../../ipc/errors.ts';
import type { CheckpointInput, TableNameInput, TransactionInput } from '../params.ts';
import type { BackupFiles, BackupLocation, GroupableOperation } from '../types.ts';
import type { SqliteEngine } from './engine.ts';
import { deadlineError, remainingMs } from './deadline-errors.ts';
import { openSqliteEngine, type SqliteLibrary } from './open-engine.ts';
import { SqliteReaderCore } from './sqlite-reader-core.ts';
import { type SynchronousMode, SqliteWriterCore } from './sqlite-writer-core.ts';

/**
 * One SQLite connection and what runs on it, by operation name: the writer's or a
 * reader's. The same runner serves a connection on its own thread (sqlite-thread.ts) and
 * one on the calling thread (tests); each call is armed with its deadline, and its
 * failure comes back as the caller should hear it.
 */

export type ConnectionRole = 'writer' | 'reader';

export interface ConnectionSettings {
  role: ConnectionRole;
  path: string;
  library: SqliteLibrary;
  synchronous?: SynchronousMode;
  busyTimeoutMs?: number;
  /** The backup directory (`backup` writes there; `sync_schema` backs up there unless told otherwise). */
  backupDir?: string;
  /** Path of the sqlite-deadline extension. */
  deadlines?: string;
  /** Path of sqlite-vec's extension (vec0). */
  vectors?: string;
  /** better-sqlite3's addon file (the executable's extracted one); its own lookup otherwise. */
  nativeBinding?: string;
}

export interface CoreCall {
  op: string;
  args?: unknown;
  /** Epoch ms past which the call is stopped; 0 for none. */
  deadline: number;
  /** Readers: the writer's schema generation when the call was sent. */
  generation?: number;
}

/** A failure carries the error as the caller hears it, and `bug`: what was thrown when it was no RpcError. */
export type CoreAnswer = { ok: true; value: unknown; generation: number } | { ok: false; error: RpcError; bug?: Error; generation: number };

type Operation<C> = (core: C, args: never) => unknown;

const WRITER_OPERATIONS: Record<string, Operation<SqliteWriterCore>> = {
  create_table: (core, input: Parameters<SqliteWriterCore['createTable']>[0]) => core.createTable(input),
  drop_table: (core, input: Parameters<SqliteWriterCore['dropTable']>[0]) => core.dropTable(input),
  insert: (core, input: Parameters<SqliteWriterCore['insert']>[0]) => core.insert(input),
  insert_many: (core, input: Parameters<SqliteWriterCore['insertMany']>[0]) => core.insertMany(input),
  update: (core, input: Parameters<SqliteWriterCore['update']>[0]) => core.update(input),
  delete: (core, input: Parameters<SqliteWriterCore['delete']>[0]) => core.delete(input),
  select: (core, input: Parameters<SqliteWriterCore['select']>[0]) => core.select(input),
  execute: (core, input: Parameters<SqliteWriterCore['execute']>[0]) => core.execute(input),
  batch: (core, input: Parameters<SqliteWriterCore['batch']>[0]) => core.batch(input),
  run_group: (core, input: { operations: GroupableOperation[]; deadlines: number[] }) => {
    // Errors cross to the driver in their wire form, as every answer does.
    const { outcomes, committed } = core.runGroup(input.operations, input.deadlines);
    return { committed, outcomes: outcomes.map((outcome) => (outcome.ok ? outcome : { ok: false, error: RpcError.from(outcome.error).toJSON() })) };
  },
  sync_schema: (core, input: Parameters<SqliteWriterCore['syncSchema']>[0]) => core.syncSchema(input),
  get_table_info: (core, input: TableNameInput) => core.getTableInfo(input.table_name),
  list_tables: (core) => core.listTables(),
  get_schema_version: (core) => core.getSchemaVersion(),
  protected_tables: (core) => core.protectedTables(),
  begin_transaction: (core) => core.beginTransaction(),
  commit_transaction: (core, input: TransactionInput) => core.commitTransaction(input.transaction_id),
  rollback_transaction: (core, input: TransactionInput) => core.rollbackTransaction(input.transaction_id),
  optimize: (core) => core.optimize(),
  checkpoint: (core, input: CheckpointInput) => core.checkpoint(input),
};

const READER_OPERATIONS: Record<string, Operation<SqliteReaderCore>> = {
  select: (core, input: Parameters<SqliteReaderCore['select']>[0]) => core.select(input),
  vector_search: (core, input: Parameters<SqliteReaderCore['vectorSearch']>[0]) => core.vectorSearch(input),
  execute: (core, input: Parameters<SqliteReaderCore['execute']>[0]) => core.execute(input),
  get_table_info: (core, input: TableNameInput) => core.getTableInfo(input.table_name),
  list_tables: (core) => core.listTables(),
  get_schema_version: (core) => core.getSchemaVersion(),
  protected_tables: (core) => core.protectedTables(),
  backup: (core, input: Parameters<SqliteReaderCore['backup']>[0]) => core.backup(input),
};

export class ConnectionRunner {
  private constructor(
    private readonly engine: SqliteEngine,
    private readonly writer: SqliteWriterCore | null,
    private readonly reader: SqliteReaderCore | null,
  ) {}

  static async open(settings: ConnectionSettings, files: BackupFiles): Promise<ConnectionRunner> {
    const engine = await openSqliteEngine(settings.library, settings.path, {
      readOnly: settings.role === 'reader',
      deadlines: settings.deadlines,
      vectors: settings.vectors,
      nativeBinding: settings.nativeBinding,
    });
    try {
      if (settings.role === 'writer') return new ConnectionRunner(engine, SqliteWriterCore.open(engine, settings, files), null);
      const backups: BackupLocation | undefined = settings.backupDir === undefined ? undefined : { dir: settings.backupDir, fs: files };
      return new ConnectionRunner(engine, null, SqliteReaderCore.open(engine, settings, backups));
    } catch (error) {
      engine.close();
      throw error;
    }
  }

  /** Run one call; never throws: a failure is the answer. */
  async run(call: CoreCall): Promise<CoreAnswer> {
    const operation = (this.writer ? WRITER_OPERATIONS : READER_OPERATIONS)[call.op] as Operation<unknown> | undefined;
    if (this.reader && call.generation !== undefined) this.reader.seeGeneration(call.generation);
    try {
      if (!operation) throw new RpcError('INTERNAL_ERROR', `the ${this.writer ? 'writer' : 'reader'} connection has no operation "${call.op}"`);
      if (call.deadline > 0 && Date.now() >= call.deadline) {
        throw new RpcError('TIMEOUT', `${call.op} was not started within its deadline; it was not executed`);
      }
      this.engine.setDeadline(remainingMs(call.deadline));
      try {
        const value = await operation(this.writer ?? this.reader, call.args as never);
        return { ok: true, value, generation: this.generation };
      } finally {
        this.engine.setDeadline(0);
      }
    } catch (thrown) {
      const error = RpcError.from(deadlineError(thrown, call.op));
      this.writer?.noticeFailure(error);
      const bug = thrown instanceof RpcError ? undefined : thrown instanceof Error ? thrown : new Error(String(thrown));
      return { ok: false, error, ...(bug ? { bug } : {}), generation: this.generation };
    }
  }

  private get generation(): number {
    return this.writer?.generation ?? 0;
  }

  close(): void {
    if (this.writer) this.writer.close();
    else this.reader!.close();
  }
}
