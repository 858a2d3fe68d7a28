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
  /** An INSERT prepared once and run per row (insert_many): each run answers the row's rowid. */
  prepareInsert(sql: string): (params: unknown[]) => bigint;
  /** Any single statement, rows or not (the `execute` method). */
  query(sql: string, params?: SqliteParams): QueryResult;
  /** Several statements without parameters (DDL, PRAGMAs, transaction control). */
  exec(sql: string): void;
  readonly inTransaction: boolean;
  /**
   * Stop whatever runs on this connection once `ms` milliseconds have passed (0: no limit),
   * until the next call. Needs the deadline extension (`SqliteOpenOptions.deadlines`); a
   * stopped statement fails with `SQLITE_INTERRUPT` and its changes are rolled back.
   */
  setDeadline(ms: number): void;
  close(): void;
}

export interface SqliteOpenOptions {
  readOnly?: boolean;
  /** Path of the sqlite-deadline extension, loaded so setDeadline works (runtime.nativeLibrary). */
  deadlines?: string;
  /** Path of sqlite-vec's loadable extension (vec0), for vector_search's vec_distance_cosine. */
  vectors?: string;
}

/**
 * The connection's deadline switch, from the extension's two SQL functions: the token it
 * answers once lets only this code arm it. Disarming retries a call an interrupt caught in
 * flight (the watchdog may fire once more between the deadline and the disarm).
 */
export function deadlineSwitch(query: (sql: string, params: unknown[]) => SqliteRow | undefined): (ms: number) => void {
  const token = query('SELECT deadline_token() AS token', [])?.token;
  return (ms) => {
    for (let attempt = 0; ; attempt++) {
      try {
        query('SELECT deadline_arm(?, ?) AS armed', [ms, token]);
        return;
      } catch (error) {
        const interrupted = /interrupt/i.test((error as Error).message);
        if (!interrupted || attempt >= 100) throw error;
      }
    }
  };
}

/** A setDeadline for an engine opened without the extension: refuses to pretend. */
export function noDeadlines(ms: number): void {
  if (ms > 0) throw new Error('statement deadlines need the sqlite-deadline extension, which this connection did not load');
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
