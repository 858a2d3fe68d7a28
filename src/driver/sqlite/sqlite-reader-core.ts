import { describeColumns, requireTable } from '../catalog.ts';
import type { BackupInput, ExecuteInput, SelectInput, VectorSearchInput } from '../params.ts';
import type { BackupLocation, BackupResult, ExecuteResult } from '../types.ts';
import type { SqliteEngine } from './engine.ts';
import { readMeta } from './schema-sync.ts';
import { SqliteCatalog } from './sqlite-catalog.ts';
import { backupInto } from './sqlite-maintenance.ts';
import { SqliteRows } from './sqlite-rows.ts';
import { vectorSearchSqlite } from './sqlite-vector-search.ts';

/**
 * What runs on a read-only connection, on a reader thread: reads outside transactions,
 * raw statements that only read, catalog questions, and backups (a copy taken from a
 * reader never holds up a writer). Each sees the last committed state (WAL). Its catalog
 * is its own: it is read again when the writer's schema generation moved on.
 */
export class SqliteReaderCore {
  private readonly catalog: SqliteCatalog;
  private readonly rows: SqliteRows;
  private generation = 0;

  constructor(
    private readonly engine: SqliteEngine,
    private readonly backups: BackupLocation | undefined,
  ) {
    this.catalog = new SqliteCatalog(engine);
    this.rows = new SqliteRows(this.catalog);
  }

  /**
   * Busy timeout, foreign keys and synchronous as on the writer (the connection was opened
   * read-only; synchronous only makes `PRAGMA synchronous` read here what is in force).
   */
  static open(engine: SqliteEngine, settings: { busyTimeoutMs?: number; synchronous?: string }, backups: BackupLocation | undefined): SqliteReaderCore {
    const busy = Math.max(0, Math.floor(settings.busyTimeoutMs ?? 5000));
    engine.exec(`PRAGMA busy_timeout = ${busy}; PRAGMA foreign_keys = ON; PRAGMA synchronous = ${(settings.synchronous ?? 'full').toUpperCase()}`);
    return new SqliteReaderCore(engine, backups);
  }

  /** The writer's schema generation a request was sent at: a newer one makes the catalog stale. */
  seeGeneration(generation: number): void {
    if (generation === this.generation) return;
    this.generation = generation;
    this.catalog.invalidate();
  }

  select(input: SelectInput) {
    return this.rows.select(this.engine, input);
  }

  vectorSearch(input: VectorSearchInput) {
    return vectorSearchSqlite(this.engine, this.catalog, input);
  }

  execute(input: ExecuteInput): ExecuteResult {
    return this.rows.execute(this.engine, input);
  }

  getTableInfo(tableName: string) {
    return { info: describeColumns(requireTable(this.catalog, tableName)) };
  }

  listTables() {
    return { tables: this.catalog.names() };
  }

  getSchemaVersion() {
    return { version: readMeta(this.engine, this.catalog).version };
  }

  protectedTables(): string[] {
    return readMeta(this.engine, this.catalog).protectedTables;
  }

  backup(input: BackupInput): Promise<BackupResult> {
    return backupInto(this.engine, this.backups, input);
  }

  close(): void {
    this.engine.close();
  }
}
