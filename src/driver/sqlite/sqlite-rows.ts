import { requireTable } from '../catalog.ts';
import type { DeleteInput, ExecuteInput, InsertInput, SelectInput, UpdateInput } from '../params.ts';
import { InsertPlans } from '../sql/insert-plans.ts';
import type { RowRun } from '../sql/row-runs.ts';
import { bindRunRow, buildDelete, buildInsert, buildSelect, buildUpdate } from '../sql/statements.ts';
import type { ExecuteResult, Row, RowId } from '../types.ts';
import { fromDatabase, untypedToDatabase } from '../values.ts';
import type { SqliteEngine, SqliteRow } from './engine.ts';
import type { SqliteCatalog } from './sqlite-catalog.ts';
import { sqliteDialect } from './sqlite-dialect.ts';

const rowId = (id: bigint): RowId => fromDatabase(id, 'integer') as RowId;

function decodeUntypedRow(row: SqliteRow): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = fromDatabase(value, null);
  return out;
}

/** Runs `work` all-or-nothing on the engine (the writer's transaction or savepoint). */
export type Atomic = <T>(work: () => T) => T;

/**
 * The row methods of §4 on one SQLite connection, synchronous so a batch or a group commit
 * can run them inside its own transaction. Params arrive validated (params.ts, and the
 * execute guards); what is checked here needs the live tables: names and value types.
 */
export class SqliteRows {
  private readonly plans = new InsertPlans(sqliteDialect);

  constructor(private readonly catalog: SqliteCatalog) {}

  insert(engine: SqliteEngine, input: InsertInput): { row_id: RowId } {
    const statement = buildInsert(requireTable(this.catalog, input.table_name), input.data, sqliteDialect);
    return { row_id: rowId(engine.run(statement.sql, statement.params).lastInsertRowid) };
  }

  /** The rows arrive column by column (row-runs.ts); each run binds one prepared INSERT. */
  insertMany(engine: SqliteEngine, tableName: string, runs: RowRun[], atomic: Atomic): { inserted: number; row_ids: RowId[] } {
    const table = requireTable(this.catalog, tableName);
    const row_ids = atomic(() => {
      const ids: RowId[] = [];
      for (const run of runs) {
        const plan = this.plans.plan(table, run.columns, `rows[${run.first}]`);
        const insert = engine.prepareInsert(plan.sql);
        for (let j = 0; j < run.count; j++) ids.push(rowId(insert(bindRunRow(plan, run, j, sqliteDialect))));
      }
      return ids;
    });
    return { inserted: row_ids.length, row_ids };
  }

  update(engine: SqliteEngine, input: UpdateInput): { affected_rows: number } {
    const statement = buildUpdate(requireTable(this.catalog, input.table_name), input.where, input.data, sqliteDialect);
    return { affected_rows: engine.run(statement.sql, statement.params).changes };
  }

  delete(engine: SqliteEngine, input: DeleteInput): { affected_rows: number } {
    const statement = buildDelete(requireTable(this.catalog, input.table_name), input.where, sqliteDialect);
    return { affected_rows: engine.run(statement.sql, statement.params).changes };
  }

  select(engine: SqliteEngine, input: SelectInput): { data: Row[] } {
    const statement = buildSelect(requireTable(this.catalog, input.table_name), input, sqliteDialect);
    const rows = engine.all(statement.sql, statement.params);
    const data = rows.map((row) => {
      const out: Row = {};
      for (const column of statement.columns) out[column.name] = fromDatabase(row[column.name], column.type, column.name);
      return out;
    });
    return { data };
  }

  /** One raw statement (checked on arrival by the execute guards); rows come back under `data`. */
  execute(engine: SqliteEngine, input: ExecuteInput): ExecuteResult {
    const params = Array.isArray(input.params)
      ? input.params.map((value, i) => untypedToDatabase(value, `params[${i}]`, sqliteDialect.bind))
      : input.params &&
        Object.fromEntries(Object.entries(input.params).map(([key, value]) => [key, untypedToDatabase(value, `params.${key}`, sqliteDialect.bind)]));
    const result = engine.query(input.sql, params);
    const out: ExecuteResult = { affected_rows: result.changes, last_row_id: rowId(result.lastInsertRowid) };
    if (result.rows) out.data = result.rows.map(decodeUntypedRow);
    return out;
  }
}
