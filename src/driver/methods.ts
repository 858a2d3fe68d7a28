import type * as v from 'valibot';
import {
  BackupParams,
  BatchParams,
  BeginTransactionParams,
  CheckpointParams,
  CreateTableParams,
  DeleteParams,
  DropTableParams,
  ExecuteParams,
  GetSchemaVersionParams,
  HelloParams,
  InsertManyParams,
  InsertParams,
  ListTablesParams,
  OptimizeParams,
  PingParams,
  SelectParams,
  StatsParams,
  SyncSchemaParams,
  TableNameParams,
  TransactionParams,
  UpdateParams,
} from './params.ts';
import type { Driver, GroupableMethod } from './types.ts';

/**
 * How the driver process treats each method (DESIGN §4–§5):
 *  - `control`: answered at once, never queued (ping, hello, stats);
 *  - `read` / `write`: queued; while a SQLite transaction is open, writes outside it wait;
 *  - `begin` takes the write lease, `end` (commit, rollback) releases it and is admitted
 *    even when the queue is full.
 */
export type MethodAccess = 'control' | 'read' | 'write' | 'begin' | 'end';

interface MethodSpec<S extends v.GenericSchema> {
  params: S;
  access: MethodAccess;
  /** Autocommit calls of this method may share a group commit. */
  groupable?: boolean;
  invoke?: (driver: Driver, params: v.InferOutput<S>) => Promise<unknown>;
}

const spec = <S extends v.GenericSchema>(entry: MethodSpec<S>) => entry as unknown as MethodSpec<v.GenericSchema>;

export const METHODS: Readonly<Record<string, MethodSpec<v.GenericSchema>>> = {
  ping: spec({ params: PingParams, access: 'control' }),
  hello: spec({ params: HelloParams, access: 'control' }),
  stats: spec({ params: StatsParams, access: 'control' }),
  begin_transaction: spec({ params: BeginTransactionParams, access: 'begin' }),
  commit_transaction: spec({ params: TransactionParams, access: 'end' }),
  rollback_transaction: spec({ params: TransactionParams, access: 'end' }),
  create_table: spec({ params: CreateTableParams, access: 'write', invoke: (d, p) => d.createTable(p) }),
  drop_table: spec({ params: DropTableParams, access: 'write', invoke: (d, p) => d.dropTable(p) }),
  insert: spec({ params: InsertParams, access: 'write', groupable: true, invoke: (d, p) => d.insert(p) }),
  insert_many: spec({ params: InsertManyParams, access: 'write', groupable: true, invoke: (d, p) => d.insertMany(p) }),
  update: spec({ params: UpdateParams, access: 'write', groupable: true, invoke: (d, p) => d.update(p) }),
  delete: spec({ params: DeleteParams, access: 'write', groupable: true, invoke: (d, p) => d.delete(p) }),
  select: spec({ params: SelectParams, access: 'read', invoke: (d, p) => d.select(p) }),
  execute: spec({ params: ExecuteParams, access: 'write', invoke: (d, p) => d.execute(p) }),
  batch: spec({ params: BatchParams, access: 'write', invoke: (d, p) => d.batch(p) }),
  get_table_info: spec({ params: TableNameParams, access: 'read', invoke: (d, p) => d.getTableInfo(p.table_name) }),
  list_tables: spec({ params: ListTablesParams, access: 'read', invoke: (d) => d.listTables() }),
  sync_schema: spec({ params: SyncSchemaParams, access: 'write', invoke: (d, p) => d.syncSchema(p) }),
  get_schema_version: spec({ params: GetSchemaVersionParams, access: 'read', invoke: (d) => d.getSchemaVersion() }),
  // Maintenance runs outside any transaction: scheduled like a write, so it waits for open ones.
  backup: spec({ params: BackupParams, access: 'write', invoke: (d, p) => d.backup(p) }),
  optimize: spec({ params: OptimizeParams, access: 'write', invoke: (d) => d.optimize() }),
  checkpoint: spec({ params: CheckpointParams, access: 'write', invoke: (d, p) => d.checkpoint(p) }),
};

export type MethodName = keyof typeof METHODS;

export function isGroupable(method: string): method is GroupableMethod {
  return METHODS[method]?.groupable === true;
}

/** Methods a client may send again after a lost connection: they change nothing. */
export const RETRYABLE_METHODS: ReadonlySet<string> = new Set([
  'ping',
  'stats',
  ...Object.keys(METHODS).filter((name) => METHODS[name]!.access === 'read'),
]);
