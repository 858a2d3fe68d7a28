import { RpcError } from '../../ipc/errors.ts';
import { operationError, operationParams } from '../batch.ts';
import { describeColumns, requireTable } from '../catalog.ts';
import type {
  BatchInput,
  BatchOperationInput,
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
import { type PackedInsertMany, runsOf } from '../sql/row-runs.ts';
import { leadingKeyword } from '../sql/statement-kind.ts';
import type { BackupFiles, ExecuteResult, GroupableOperation, SyncReport } from '../types.ts';
import type { SqliteEngine } from './engine.ts';
import { stoppedAtDeadline } from './deadline-errors.ts';
import { type GroupOutcome, runGroup } from './sqlite-group-commit.ts';
import { SqliteCatalog } from './sqlite-catalog.ts';
import { checkpoint, optimize } from './sqlite-maintenance.ts';
import { SqliteRows } from './sqlite-rows.ts';
import { createTable, dropTable } from './sqlite-tables.ts';
import { SqliteWriter } from './sqlite-writer.ts';
import { readMeta, syncSchema } from './schema-sync.ts';

const SCHEMA_STATEMENTS = new Set(['CREATE', 'DROP', 'ALTER']);

export type SynchronousMode = 'off' | 'normal' | 'full' | 'extra';

export interface WriterSettings {
  path: string;
  synchronous?: SynchronousMode;
  busyTimeoutMs?: number;
  /** Where `sync_schema` writes its backup unless the request names a directory. */
  backupDir?: string;
}

/**
 * Everything that runs on the writer connection: every write, every transaction, schema
 * changes, group commits. Synchronous where SQLite is, so a batch or a group commit runs
 * inside one transaction; it lives on the writer thread (sqlite-thread.ts). Reads inside a
 * transaction come here too, to see the transaction's own rows.
 */
export class SqliteWriterCore {
  private readonly writer: SqliteWriter;
  private readonly catalog: SqliteCatalog;
  private readonly rows: SqliteRows;
  /** Counts schema changes the readers must notice (their catalogs are their own). */
  private generationAtBegin = 0;

  private constructor(
    private readonly engine: SqliteEngine,
    private readonly settings: WriterSettings,
    private readonly files: BackupFiles,
  ) {
    this.writer = new SqliteWriter(engine);
    this.catalog = new SqliteCatalog(engine);
    this.rows = new SqliteRows(this.catalog);
  }

  /** Puts the database in WAL mode, with foreign keys on and the durability asked for. */
  static open(engine: SqliteEngine, settings: WriterSettings, files: BackupFiles): SqliteWriterCore {
    const busy = Math.max(0, Math.floor(settings.busyTimeoutMs ?? 5000));
    engine.exec(`PRAGMA busy_timeout = ${busy}`);
    const mode = engine.all('PRAGMA journal_mode = WAL') as Array<{ journal_mode: string }>;
    if (mode[0]?.journal_mode.toLowerCase() !== 'wal') {
      throw new RpcError('DATABASE_ERROR', `cannot switch ${settings.path} to WAL mode (got ${mode[0]?.journal_mode})`);
    }
    engine.exec(`PRAGMA synchronous = ${(settings.synchronous ?? 'full').toUpperCase()}; PRAGMA foreign_keys = ON`);
    return new SqliteWriterCore(engine, settings, files);
  }

  /** Bumped by every change of the schema (and by the commit of a transaction that changed it). */
  get generation(): number {
    return this.catalog.generation;
  }

  get openTransaction(): string | null {
    return this.writer.openTransaction;
  }

  /** After a failed request: a transaction SQLite rolled back by itself is gone. */
  noticeFailure(error: RpcError): void {
    this.writer.noticeRollback(stoppedAtDeadline(error) ? 'a statement ran past its deadline' : error.message);
  }

  // ---- transactions -------------------------------------------------------------------

  beginTransaction(): string {
    this.generationAtBegin = this.catalog.generation;
    return this.writer.begin();
  }

  commitTransaction(id: string): void {
    try {
      this.writer.commit(id);
    } catch (error) {
      // A failed COMMIT rolled back: forget tables it had created.
      this.catalog.invalidate();
      throw error;
    }
    // Readers only see schema changes once committed: tell them again.
    if (this.catalog.generation !== this.generationAtBegin) this.catalog.invalidate();
  }

  rollbackTransaction(id: string): void {
    this.writer.rollback(id);
    this.catalog.invalidate();
  }

  // ---- tables -------------------------------------------------------------------------

  createTable(input: CreateTableInput): { success: true; created: boolean } {
    return createTable(this.writer, this.catalog, input);
  }

  dropTable(input: DropTableInput): { success: true; dropped: boolean } {
    return dropTable(this.writer, this.catalog, input);
  }

  getTableInfo(tableName: string) {
    return { info: describeColumns(requireTable(this.catalog, tableName)) };
  }

  listTables() {
    return { tables: this.catalog.names() };
  }

  // ---- rows ---------------------------------------------------------------------------

  insert(input: InsertInput) {
    return this.rows.insert(this.writer.forWrite(input.transaction_id), input);
  }

  insertMany(input: InsertManyInput | PackedInsertMany) {
    return this.rows.insertMany(this.writer.forWrite(input.transaction_id), input.table_name, runsOf(input), (work) => this.writer.atomic(work));
  }

  update(input: UpdateInput) {
    return this.rows.update(this.writer.forWrite(input.transaction_id), input);
  }

  delete(input: DeleteInput) {
    return this.rows.delete(this.writer.forWrite(input.transaction_id), input);
  }

  /** A read on the writer: inside a transaction (it sees the transaction's rows) or a batch. */
  select(input: SelectInput) {
    return this.rows.select(this.writer.forWrite(input.transaction_id), input);
  }

  execute(input: ExecuteInput): ExecuteResult {
    try {
      return this.rows.execute(this.writer.forWrite(input.transaction_id), input);
    } finally {
      // Raw DDL changes the schema (failed or not: it may have done part of its work).
      if (SCHEMA_STATEMENTS.has(leadingKeyword(input.sql))) this.catalog.invalidate();
    }
  }

  private runOperation(operation: BatchOperationInput | GroupableOperation, params: unknown): unknown {
    switch (operation.method) {
      case 'insert':
        return this.insert(params as InsertInput);
      case 'insert_many':
        return this.insertMany(params as InsertManyInput);
      case 'update':
        return this.update(params as UpdateInput);
      case 'delete':
        return this.delete(params as DeleteInput);
      case 'select':
        return this.select(params as SelectInput);
      case 'execute':
        return this.execute(params as ExecuteInput);
    }
  }

  batch(input: BatchInput): { results: unknown[] } {
    this.writer.forWrite(input.transaction_id);
    const results = this.writer.atomic(() =>
      input.operations.map((operation, index) => {
        try {
          // Selects read inside the batch's transaction, so they see its earlier writes.
          return this.runOperation(operation, operationParams(operation, input));
        } catch (error) {
          throw operationError(error, index, operation.method);
        }
      }),
    );
    return { results };
  }

  /** Group commit (sqlite-group-commit.ts): each member in a savepoint, under its own deadline. */
  runGroup(operations: GroupableOperation[], deadlines: number[] = []): GroupOutcome {
    return runGroup(this.writer.forWrite(undefined), (operation) => this.runOperation(operation, operation.params), operations, deadlines);
  }

  // ---- schema and maintenance -----------------------------------------------------------

  async syncSchema(input: SyncSchemaInput): Promise<SyncReport> {
    const dir = input.backup_dir ?? this.settings.backupDir;
    try {
      return await syncSchema(this.writer, this.catalog, input, dir === undefined ? undefined : { dir, fs: this.files });
    } finally {
      this.catalog.invalidate();
    }
  }

  getSchemaVersion() {
    return { version: readMeta(this.engine, this.catalog).version };
  }

  protectedTables(): string[] {
    return readMeta(this.engine, this.catalog).protectedTables;
  }

  optimize() {
    return optimize(this.writer.forWrite(undefined));
  }

  checkpoint(input: CheckpointInput) {
    return checkpoint(this.writer.forWrite(undefined), input);
  }

  /** Roll back what is open, checkpoint the WAL into the database, close. */
  close(): void {
    this.writer.abandon();
    try {
      this.engine.all('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      this.engine.close();
    }
  }
}
