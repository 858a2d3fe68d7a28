import type * as v from 'valibot';
import { RpcError } from '../ipc/errors.ts';
import type { Params, Priority } from '../ipc/messages.ts';
import type { CallOptions, RpcCaller } from '../ipc/types.ts';
import type {
  BatchParams,
  CheckpointMode,
  ExecuteParams,
  InsertManyParams,
  InsertParams,
  SelectParams,
  SyncSchemaParams,
  UpdateParams,
  VectorSearchParams,
} from '../driver/params.ts';
import type { TableDefinitionSchema } from '../driver/table-schema.ts';
import type { BackupResult, CheckpointResult, ColumnDescription, ExecuteResult, Row, RowId, SyncReport } from '../driver/types.ts';

type Input<S extends v.GenericSchema> = Omit<v.InferInput<S>, 'transaction_id'>;

export type TableDefinitionInput = v.InferInput<typeof TableDefinitionSchema>;
/** A `where` as callers write it; the driver checks its shape and every value once, on arrival. */
export type Where = Record<string, unknown>;
export type SelectOptions = Omit<Input<typeof SelectParams>, 'table_name' | 'where'> & { where?: Where };
export type VectorSearchOptions = Omit<Input<typeof VectorSearchParams>, 'where'> & { where?: Where };
export type BatchOperation = Input<typeof BatchParams>['operations'][number];
export type SyncSchemaOptions = Omit<Input<typeof SyncSchemaParams>, 'schema_definition'>;
export type SchemaDefinitionInput = Input<typeof SyncSchemaParams>['schema_definition'];

export interface PingResult {
  pong: true;
  driver: string;
  version: string;
  uptime_ms: number;
  pid: number;
}

/** How the client reaches a driver: the RPC client, or (PostgreSQL in_process) the driver itself. */
export interface DatabaseTransport extends RpcCaller {
  /** A caller bound to one connection, which owns the transactions begun on it. */
  pin(): Promise<RpcCaller>;
  close(): void;
}

/**
 * The typed face of every driver method (DESIGN §4). Transactions: `transaction(fn)` begins
 * one on a pinned connection, hands `fn` a client bound to it, and commits — or rolls back
 * if `fn` throws.
 */
export class DatabaseClient {
  constructor(
    protected readonly caller: RpcCaller,
    private readonly transport?: DatabaseTransport,
    /** Set on a client bound to an open transaction. */
    readonly transactionId?: string,
  ) {}

  protected call<T>(method: string, params: Params | undefined, options?: CallOptions): Promise<T> {
    const scoped = this.transactionId === undefined || params === undefined ? params : { ...params, transaction_id: this.transactionId };
    return this.caller.call<T>(method, scoped, options);
  }

  ping(options?: CallOptions) {
    return this.caller.call<PingResult>('ping', undefined, options);
  }

  hello(client: string, priority?: Priority) {
    return this.caller.call<{ session_id: string }>('hello', priority ? { client, priority } : { client });
  }

  stats(options?: CallOptions) {
    return this.caller.call<Record<string, unknown>>('stats', undefined, options);
  }

  createTable(schema: TableDefinitionInput, options?: CallOptions) {
    return this.caller.call<{ success: true; created: boolean }>('create_table', { schema }, options);
  }

  dropTable(tableName: string, ifExists = false, options?: CallOptions) {
    return this.caller.call<{ success: true; dropped: boolean }>('drop_table', { table_name: tableName, if_exists: ifExists }, options);
  }

  insert(tableName: string, data: Input<typeof InsertParams>['data'], options?: CallOptions) {
    return this.call<{ row_id: RowId }>('insert', { table_name: tableName, data }, options);
  }

  insertMany(tableName: string, rows: Input<typeof InsertManyParams>['rows'], options?: CallOptions) {
    return this.call<{ inserted: number; row_ids: RowId[] }>('insert_many', { table_name: tableName, rows }, options);
  }

  update(tableName: string, where: Where, data: Input<typeof UpdateParams>['data'], options?: CallOptions) {
    return this.call<{ affected_rows: number }>('update', { table_name: tableName, where, data }, options);
  }

  delete(tableName: string, where: Where, options?: CallOptions) {
    return this.call<{ affected_rows: number }>('delete', { table_name: tableName, where }, options);
  }

  select<R extends Row = Row>(tableName: string, query: SelectOptions = {}, options?: CallOptions) {
    return this.call<{ data: R[] }>('select', { table_name: tableName, ...query }, options);
  }

  /** The `limit` rows nearest to `search.vector`, with their `distance`; never inside a transaction (the driver runs it on a reader). */
  vectorSearch<R extends Row = Row>(search: VectorSearchOptions, options?: CallOptions) {
    return this.caller.call<{ data: Array<R & { distance: number }> }>('vector_search', search, options);
  }

  execute(sql: string, params?: Input<typeof ExecuteParams>['params'], options?: CallOptions) {
    return this.call<ExecuteResult>('execute', params === undefined ? { sql } : { sql, params }, options);
  }

  batch(operations: BatchOperation[], options?: CallOptions) {
    return this.call<{ results: unknown[] }>('batch', { operations }, options);
  }

  getTableInfo(tableName: string, options?: CallOptions) {
    return this.caller.call<{ info: ColumnDescription[] }>('get_table_info', { table_name: tableName }, options);
  }

  listTables(options?: CallOptions) {
    return this.caller.call<{ tables: string[] }>('list_tables', undefined, options);
  }

  syncSchema(schemaDefinition: SchemaDefinitionInput, syncOptions: SyncSchemaOptions = {}, options?: CallOptions) {
    return this.caller.call<SyncReport>('sync_schema', { schema_definition: schemaDefinition, ...syncOptions }, options);
  }

  getSchemaVersion(options?: CallOptions) {
    return this.caller.call<{ version: string | null }>('get_schema_version', undefined, options);
  }

  /** An online copy of the database into the driver's backup directory; `fileName` must be new there. */
  backup(fileName: string, options?: CallOptions) {
    return this.caller.call<BackupResult>('backup', { file_name: fileName }, options);
  }

  optimize(options?: CallOptions) {
    return this.caller.call<{ success: true }>('optimize', undefined, options);
  }

  checkpoint(mode?: CheckpointMode, options?: CallOptions) {
    return this.caller.call<CheckpointResult>('checkpoint', mode === undefined ? undefined : { mode }, options);
  }

  /** Begin on this client's caller; prefer `transaction()`, which pins a connection for you. */
  beginTransaction(timeoutMs?: number, options?: CallOptions) {
    return this.caller.call<{ transaction_id: string }>('begin_transaction', timeoutMs === undefined ? {} : { timeout_ms: timeoutMs }, options);
  }

  commitTransaction(transactionId: string, options?: CallOptions) {
    return this.caller.call<{ success: true }>('commit_transaction', { transaction_id: transactionId }, options);
  }

  rollbackTransaction(transactionId: string, options?: CallOptions) {
    return this.caller.call<{ success: true }>('rollback_transaction', { transaction_id: transactionId }, options);
  }

  /** Run `work` in a transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: DatabaseClient) => Promise<T>, settings: { timeoutMs?: number; priority?: Priority } = {}): Promise<T> {
    if (this.transactionId !== undefined) throw new RpcError('TRANSACTION_ERROR', 'transactions do not nest; use the client you were given');
    if (!this.transport) throw new RpcError('TRANSACTION_ERROR', 'this client cannot pin a connection for a transaction');
    const pinned = await this.transport.pin();
    const callOptions = settings.priority ? { priority: settings.priority } : undefined;
    const { transaction_id } = await pinned.call<{ transaction_id: string }>(
      'begin_transaction',
      settings.timeoutMs === undefined ? {} : { timeout_ms: settings.timeoutMs },
      callOptions,
    );
    const tx = new DatabaseClient(pinned, undefined, transaction_id);
    let result: T;
    try {
      result = await work(tx);
    } catch (error) {
      await pinned.call('rollback_transaction', { transaction_id }).catch(() => undefined);
      throw error;
    }
    await pinned.call('commit_transaction', { transaction_id });
    return result;
  }

  close(): void {
    this.transport?.close();
  }
}
