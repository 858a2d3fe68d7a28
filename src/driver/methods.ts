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
  VectorSearchParams,
} from './params.ts';
import type { Driver, Execution, GroupableMethod } from './types.ts';

/**
 * How the driver process treats each method (DESIGN §4–§5):
 *  - `control`: answered at once, never queued (ping, hello, stats);
 *  - `read` / `write`: queued; reads outside transactions run beside writes (SQLite: on
 *    reader threads); while a SQLite transaction is open, writes outside it wait;
 *  - `begin` takes the write lease, `end` (commit, rollback) releases it and is admitted
 *    even when the queue is full.
 */
export type MethodAccess = 'control' | 'read' | 'write' | 'begin' | 'end';

/** What a control method may ask of the service that answers it. */
export interface ControlSurface {
  ping(checkDatabase: boolean): Promise<unknown>;
  hello(params: v.InferOutput<typeof HelloParams>): unknown;
  stats(): unknown;
}

/** Everything one method needs to run, handed to its single entry. */
export interface MethodCall<P = Record<string, unknown>> {
  params: P;
  driver: Driver;
  execution: Execution;
  control: ControlSurface;
}

export interface MethodSpec {
  params: v.GenericSchema;
  access: MethodAccess;
  /** Autocommit calls of this method may share a group commit. */
  groupable?: boolean;
  /** The method's one entry: a control answer, or the driver call (transaction methods are the scheduler's). */
  run(call: MethodCall): unknown;
}

type Input<S extends v.GenericSchema> = v.InferOutput<S>;

const spec = <S extends v.GenericSchema>(params: S, access: MethodAccess, run: (call: MethodCall<Input<S>>) => unknown, groupable = false): MethodSpec => ({
  params,
  access,
  groupable,
  run: run as MethodSpec['run'],
});

const byScheduler = () => {
  throw new Error('transaction methods are run by the scheduler, which holds their leases');
};

export const METHODS: Readonly<Record<string, MethodSpec>> = {
  ping: spec(PingParams, 'control', ({ control, params }) => control.ping(params.database === true)),
  hello: spec(HelloParams, 'control', ({ control, params }) => control.hello(params)),
  stats: spec(StatsParams, 'control', ({ control }) => control.stats()),
  begin_transaction: spec(BeginTransactionParams, 'begin', byScheduler),
  commit_transaction: spec(TransactionParams, 'end', byScheduler),
  rollback_transaction: spec(TransactionParams, 'end', byScheduler),
  create_table: spec(CreateTableParams, 'write', ({ driver, params, execution }) => driver.createTable(params, execution)),
  drop_table: spec(DropTableParams, 'write', ({ driver, params, execution }) => driver.dropTable(params, execution)),
  insert: spec(InsertParams, 'write', ({ driver, params, execution }) => driver.insert(params, execution), true),
  insert_many: spec(InsertManyParams, 'write', ({ driver, params, execution }) => driver.insertMany(params, execution), true),
  update: spec(UpdateParams, 'write', ({ driver, params, execution }) => driver.update(params, execution), true),
  delete: spec(DeleteParams, 'write', ({ driver, params, execution }) => driver.delete(params, execution), true),
  select: spec(SelectParams, 'read', ({ driver, params, execution }) => driver.select(params, execution)),
  vector_search: spec(VectorSearchParams, 'read', ({ driver, params, execution }) => driver.vectorSearch(params, execution)),
  // A write unless admission finds its statement only reads (then it runs as a read).
  execute: spec(ExecuteParams, 'write', ({ driver, params, execution }) => driver.execute(params, execution)),
  batch: spec(BatchParams, 'write', ({ driver, params, execution }) => driver.batch(params, execution)),
  get_table_info: spec(TableNameParams, 'read', ({ driver, params, execution }) => driver.getTableInfo(params.table_name, execution)),
  list_tables: spec(ListTablesParams, 'read', ({ driver, execution }) => driver.listTables(execution)),
  sync_schema: spec(SyncSchemaParams, 'write', ({ driver, params, execution }) => driver.syncSchema(params, execution)),
  get_schema_version: spec(GetSchemaVersionParams, 'read', ({ driver, execution }) => driver.getSchemaVersion(execution)),
  // A backup is a read (SQLite copies from a reader connection, writers go on); optimize and
  // checkpoint run like writes, outside any transaction.
  backup: spec(BackupParams, 'read', ({ driver, params, execution }) => driver.backup(params, execution)),
  optimize: spec(OptimizeParams, 'write', ({ driver, execution }) => driver.optimize(execution)),
  checkpoint: spec(CheckpointParams, 'write', ({ driver, params, execution }) => driver.checkpoint(params, execution)),
};

export type MethodName = keyof typeof METHODS;

/** The method's spec, or undefined for a name that is none (own keys only: `toString` is no method). */
export function methodSpec(name: string): MethodSpec | undefined {
  return Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
}

export function isGroupable(method: string): method is GroupableMethod {
  return methodSpec(method)?.groupable === true;
}

/** Methods a client may send again after a lost connection: they change nothing. */
export const RETRYABLE_METHODS: ReadonlySet<string> = new Set([
  'ping',
  'stats',
  ...Object.keys(METHODS).filter((name) => METHODS[name]!.access === 'read' && name !== 'backup'),
]);
