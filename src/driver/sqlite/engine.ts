/**
 * The small surface the SQLite driver needs from a SQLite library, typed by shape so both
 * better-sqlite3 (Node) and `node:sqlite` (Deno, Node ≥ 22.5) fit behind it. Integers come
 * back as bigint (no silent precision loss); native errors come out as RpcError.
 */

export type SqliteParams = unknown[] | Record<string, unknown>;
export type SqliteRow = Record<string, unknown>;

export interface RunResult {
  changes: number;
  lastInsertRowid: bigint;
}

export interface QueryResult extends RunResult {
  /** Present when the statement returns rows (SELECT, RETURNING, some PRAGMAs). */
  rows: SqliteRow[] | undefined;
}

export interface SqliteEngine {
  readonly library: 'better-sqlite3' | 'node:sqlite';
  /** Rows of a statement that returns data. */
  all(sql: string, params?: SqliteParams): SqliteRow[];
  /** A statement that returns no rows. */
  run(sql: string, params?: SqliteParams): RunResult;
  /** Any single statement, rows or not (the `execute` method). */
  query(sql: string, params?: SqliteParams): QueryResult;
  /** Several statements without parameters (DDL, PRAGMAs, transaction control). */
  exec(sql: string): void;
  readonly inTransaction: boolean;
  close(): void;
}

export interface SqliteOpenOptions {
  readOnly?: boolean;
}

/** Prepared statements are reused; the cache is bounded because `execute` takes any SQL. */
export class StatementCache<S> {
  private readonly entries = new Map<string, S>();

  constructor(
    private readonly prepare: (sql: string) => S,
    private readonly capacity = 256,
  ) {}

  get(sql: string): S {
    let statement = this.entries.get(sql);
    if (statement) {
      this.entries.delete(sql);
    } else {
      statement = this.prepare(sql);
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(sql, statement);
    return statement;
  }

  clear(): void {
    this.entries.clear();
  }
}
