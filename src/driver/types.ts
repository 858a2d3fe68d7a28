import type { FileSystem } from '../runtime/types.ts';
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
} from './params.ts';
import type { PortableType } from './table-schema.ts';

/** The driver contract: what a database must offer to sit behind the driver process. */

/** A row id: a number, or `{"$bigint": "…"}` beyond 2^53. */
export type RowId = number | { $bigint: string } | null;
export type Row = Record<string, unknown>;

export interface ColumnDescription {
  name: string;
  /** Portable type (§6), or the declared type in lower case when it maps to none. */
  type: PortableType | string;
  nullable: boolean;
  default: string | null;
  primary_key: boolean;
}

export interface ExecuteResult {
  /** The rows of a statement that returns rows, as `select` answers them. */
  data?: Row[];
  affected_rows: number;
  last_row_id: RowId;
}

export interface SyncReport {
  dry_run: boolean;
  /** The definition's version; null for a definition without one (none is recorded). */
  version: string | null;
  previous_version: string | null;
  created_tables: string[];
  altered_tables: Array<{ table: string; added_columns: string[] }>;
  rebuilt_tables: string[];
  created_indexes: string[];
  dropped_indexes: string[];
  backup_path: string | null;
  /** Differences this driver saw but cannot apply yet. */
  unsupported: string[];
  /** Every protected table once the sync is applied (protection.ts). */
  protected_tables: string[];
}

export interface BackupResult {
  /** Absolute path of the copy. */
  path: string;
  bytes: number;
  duration_ms: number;
}

export interface CheckpointResult {
  /** 1 when a reader or writer kept the checkpoint from completing. */
  busy: number;
  /** Frames in the write-ahead log (-1 when the database is not in WAL mode). */
  log_frames: number;
  checkpointed_frames: number;
}

/** Where a driver writes backups, and the file operations it needs there (the runtime's). */
export interface BackupLocation {
  dir: string;
  fs: BackupFiles;
}

/** The file operations a backup needs (the runtime's; in a thread, relayed to the main thread). */
export type BackupFiles = Pick<FileSystem, 'mkdir' | 'exists' | 'stat' | 'rename' | 'rm'>;

export interface DriverCapabilities {
  /** One writer at a time: while a transaction is open other writes wait (SQLite). */
  singleWriter: boolean;
  /** Queued autocommit writes may share one durable commit. */
  groupCommit: boolean;
  /** How many requests may execute at the same time, in all. */
  concurrency: number;
  /** Of those, how many reads outside transactions (SQLite: one per reader thread). */
  readers: number;
  /** Of those, how many writes and requests of transactions (SQLite: the one writer). */
  writers: number;
}

/** How one queued request runs: what admission learnt of it, and by when it must be done. */
export interface Execution {
  /** Epoch milliseconds (Date.now()) past which the statement is stopped; 0 for none. */
  deadline: number;
  /** The connection said `hello {role: "owner"}`. */
  owner: boolean;
  /** An `execute` whose statement only reads (the execute guards' verdict). */
  readOnly?: boolean;
}

export type GroupableMethod = 'insert' | 'insert_many' | 'update' | 'delete';
export type GroupableOperation =
  | { method: 'insert'; params: InsertInput }
  | { method: 'insert_many'; params: InsertManyInput }
  | { method: 'update'; params: UpdateInput }
  | { method: 'delete'; params: DeleteInput };

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Every method takes the request's Execution last (absent: no deadline, not the owner):
 * the driver stops a statement at its deadline where the engine allows.
 */
export interface Driver {
  readonly name: 'sqlite' | 'postgres';
  readonly capabilities: DriverCapabilities;

  createTable(input: CreateTableInput, execution?: Execution): Promise<{ success: true; created: boolean }>;
  dropTable(input: DropTableInput, execution?: Execution): Promise<{ success: true; dropped: boolean }>;
  insert(input: InsertInput, execution?: Execution): Promise<{ row_id: RowId }>;
  insertMany(input: InsertManyInput, execution?: Execution): Promise<{ inserted: number; row_ids: RowId[] }>;
  update(input: UpdateInput, execution?: Execution): Promise<{ affected_rows: number }>;
  delete(input: DeleteInput, execution?: Execution): Promise<{ affected_rows: number }>;
  select(input: SelectInput, execution?: Execution): Promise<{ data: Row[] }>;
  /** The `limit` nearest rows to a vector by cosine distance (params.ts VectorSearchParams), outside transactions. */
  vectorSearch(input: VectorSearchInput, execution?: Execution): Promise<{ data: Row[] }>;
  execute(input: ExecuteInput, execution?: Execution): Promise<ExecuteResult>;
  batch(input: BatchInput, execution?: Execution): Promise<{ results: unknown[] }>;
  getTableInfo(tableName: string, execution?: Execution): Promise<{ info: ColumnDescription[] }>;
  listTables(execution?: Execution): Promise<{ tables: string[] }>;
  syncSchema(input: SyncSchemaInput, execution?: Execution): Promise<SyncReport>;
  getSchemaVersion(execution?: Execution): Promise<{ version: string | null }>;
  /** The tables only owner connections may change, as recorded (protection.ts). */
  protectedTables(): Promise<string[]>;

  /**
   * Maintenance. `backup` writes an online, consistent copy into the backup directory under
   * a new file name (never overwriting, never leaving a partial file); a driver that cannot
   * copy itself refuses it. `optimize` refreshes the planner's statistics; `checkpoint`
   * moves the write-ahead log into the database (a no-op answer where there is none).
   */
  backup(input: BackupInput, execution?: Execution): Promise<BackupResult>;
  optimize(execution?: Execution): Promise<{ success: true }>;
  checkpoint(input: CheckpointInput, execution?: Execution): Promise<CheckpointResult>;

  /** Open a transaction; later calls pass its id as `transaction_id`. */
  beginTransaction(execution?: Execution): Promise<string>;
  commitTransaction(id: string): Promise<void>;
  rollbackTransaction(id: string): Promise<void>;

  /**
   * Group commit: run autocommit writes in one database transaction, each in its own
   * savepoint (and under its own deadline), so one failure does not affect the others;
   * resolves after the commit is durable. Only called when `capabilities.groupCommit`.
   */
  runGroup(operations: GroupableOperation[], executions?: Execution[]): Promise<Array<Settled<unknown>>>;

  stats(): Record<string, unknown>;
  /**
   * A round trip to the database, for readiness (`ping {database: true}`): throws
   * CONNECTION_ERROR when it does not answer. Absent where the database is a local file.
   */
  check?(): Promise<void>;
  /** Roll back what is open, checkpoint and close. */
  close(): Promise<void>;
}
