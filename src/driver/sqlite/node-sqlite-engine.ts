import { deadlineSwitch, noDeadlines, type QueryResult, type RunResult, type SqliteEngine, type SqliteOpenOptions, type SqliteParams, type SqliteRow, StatementCache } from './engine.ts';
import { openError, toRpcError } from './sqlite-errors.ts';

/** The part of `node:sqlite` we use, by shape (its types are not in every @types/node). */
interface NodeStatement {
  all(...params: unknown[]): SqliteRow[];
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): SqliteRow | undefined;
  columns(): unknown[];
  setReadBigInts(enabled: boolean): void;
}
interface NodeDatabase {
  prepare(sql: string): NodeStatement;
  exec(sql: string): void;
  close(): void;
  loadExtension(path: string): void;
  enableLoadExtension?(allow: boolean): void;
  readonly isTransaction: boolean;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean; allowExtension?: boolean }) => NodeDatabase;
}

function bind(params: SqliteParams | undefined): unknown[] {
  if (params === undefined) return [];
  return Array.isArray(params) ? params : [params];
}

function runResult(info: { changes: number | bigint; lastInsertRowid: number | bigint }): RunResult {
  return { changes: Number(info.changes), lastInsertRowid: BigInt(info.lastInsertRowid) };
}

export async function openNodeSqlite(path: string, options: SqliteOpenOptions = {}): Promise<SqliteEngine> {
  const { DatabaseSync } = (await import('node:sqlite' as string)) as NodeSqliteModule;
  let db: NodeDatabase;
  let setDeadline = noDeadlines;
  try {
    db = new DatabaseSync(path, { readOnly: options.readOnly ?? false, allowExtension: options.deadlines !== undefined || options.vectors !== undefined });
  } catch (error) {
    throw openError(path, error);
  }
  try {
    if (options.vectors) db.loadExtension(options.vectors);
    if (options.deadlines) db.loadExtension(options.deadlines);
    // Loaded: SQL may not load anything (load_extension()) from here on, where the library
    // lets us say so (Node's does; the execute guards refuse it everywhere).
    if (options.deadlines || options.vectors) db.enableLoadExtension?.(false);
    if (options.deadlines) {
      const prepared = new Map<string, NodeStatement>();
      setDeadline = deadlineSwitch((sql, params) => {
        let statement = prepared.get(sql);
        if (!statement) {
          prepared.set(sql, (statement = db.prepare(sql)));
          statement.setReadBigInts(true);
        }
        return statement.get(...params);
      });
    }
  } catch (error) {
    db.close();
    throw openError(path, error);
  }
  const statements = new StatementCache<NodeStatement>((sql) => {
    const statement = db.prepare(sql);
    statement.setReadBigInts(true);
    return statement;
  });
  const guard = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw toRpcError(error);
    }
  };
  const counters = () => guard(() => statements.get('SELECT total_changes() AS n, last_insert_rowid() AS id').get()) as { n: bigint; id: bigint };

  return {
    library: 'node:sqlite',
    all: (sql, params) => guard(() => statements.get(sql).all(...bind(params))),
    run: (sql, params) => guard(() => runResult(statements.get(sql).run(...bind(params)))),
    prepareInsert(sql) {
      const statement = guard(() => statements.get(sql));
      return (params) => {
        try {
          return BigInt(statement.run(...params).lastInsertRowid);
        } catch (error) {
          throw toRpcError(error);
        }
      };
    },
    query(sql, params): QueryResult {
      const statement = guard(() => statements.get(sql));
      if (statement.columns().length === 0) return { rows: undefined, ...guard(() => runResult(statement.run(...bind(params)))) };
      const before = counters().n;
      const rows = guard(() => statement.all(...bind(params)));
      const after = counters();
      return { rows, changes: Number(after.n - before), lastInsertRowid: after.id };
    },
    exec: (sql) => guard(() => db.exec(sql)),
    get inTransaction() {
      return db.isTransaction;
    },
    setDeadline,
    close() {
      statements.clear();
      db.close();
    },
  };
}
