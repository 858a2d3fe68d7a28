import Database from 'better-sqlite3';
import { deadlineSwitch, noDeadlines, type QueryResult, type RunResult, type SqliteEngine, type SqliteOpenOptions, type SqliteParams, type SqliteRow, StatementCache } from './engine.ts';
import { openError, toRpcError } from './sqlite-errors.ts';

type Statement = Database.Statement<unknown[], SqliteRow>;

function bind(params: SqliteParams | undefined): unknown[] {
  if (params === undefined) return [];
  if (!Array.isArray(params)) return [Object.fromEntries(Object.entries(params).map(([k, v]) => [k, toBindable(v)]))];
  // Most rows hold no blob: then they bind as they are, with nothing copied.
  return params.some((value) => value instanceof Uint8Array) ? params.map(toBindable) : params;
}

/** better-sqlite3 binds Buffers, not plain Uint8Arrays. */
function toBindable(value: unknown): unknown {
  return value instanceof Uint8Array && !(value instanceof Buffer) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
}

function runResult(info: Database.RunResult): RunResult {
  return { changes: Number(info.changes), lastInsertRowid: BigInt(info.lastInsertRowid) };
}

export interface BetterSqlite3Options extends SqliteOpenOptions {
  /** The loaded addon to use instead of better-sqlite3's own lookup (the single executable's). */
  nativeBinding?: object | string;
}

export function openBetterSqlite3(path: string, options: BetterSqlite3Options = {}): SqliteEngine {
  let db: Database.Database;
  try {
    // Its types know only the path form of `nativeBinding`; the library takes a loaded addon too.
    db = new Database(path, { readonly: options.readOnly ?? false, nativeBinding: options.nativeBinding as string | undefined });
  } catch (error) {
    throw openError(path, error);
  }
  db.defaultSafeIntegers(true);
  let setDeadline = noDeadlines;
  try {
    if (options.vectors) db.loadExtension(options.vectors);
    if (options.deadlines) {
      db.loadExtension(options.deadlines);
      const prepared = new Map<string, Database.Statement>();
      setDeadline = deadlineSwitch((sql, params) => {
        let statement = prepared.get(sql);
        if (!statement) prepared.set(sql, (statement = db.prepare(sql)));
        return statement.get(...params) as SqliteRow | undefined;
      });
    }
  } catch (error) {
    db.close();
    throw openError(path, error);
  }
  const statements = new StatementCache<Statement>((sql) => db.prepare(sql) as Statement);
  const prepare = (sql: string) => {
    try {
      return statements.get(sql);
    } catch (error) {
      throw toRpcError(error);
    }
  };
  const guard = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw toRpcError(error);
    }
  };
  const counters = () => prepare('SELECT total_changes() AS n, last_insert_rowid() AS id').get() as { n: bigint; id: bigint };

  return {
    library: 'better-sqlite3',
    all(sql, params) {
      const statement = prepare(sql);
      return guard(() => statement.all(...bind(params)));
    },
    run(sql, params) {
      const statement = prepare(sql);
      return guard(() => runResult(statement.run(...bind(params))));
    },
    prepareInsert(sql) {
      const statement = prepare(sql);
      return (params) => {
        try {
          // One array binds as the anonymous parameters, without spreading it per row.
          return BigInt(statement.run(bind(params)).lastInsertRowid);
        } catch (error) {
          throw toRpcError(error);
        }
      };
    },
    query(sql, params): QueryResult {
      const statement = prepare(sql);
      if (!statement.reader) return { rows: undefined, ...guard(() => runResult(statement.run(...bind(params)))) };
      const before = counters().n;
      const rows = guard(() => statement.all(...bind(params)));
      const after = counters();
      return { rows, changes: Number(after.n - before), lastInsertRowid: after.id };
    },
    exec(sql) {
      guard(() => db.exec(sql));
    },
    get inTransaction() {
      return db.inTransaction;
    },
    setDeadline,
    close() {
      statements.clear();
      db.close();
    },
  };
}
