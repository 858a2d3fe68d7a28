import { RpcError } from '../../ipc/errors.ts';
import { requireTable } from '../catalog.ts';
import type { BatchMethod, DeleteInput, ExecuteInput, InsertInput, InsertManyInput, SelectInput, UpdateInput } from '../params.ts';
import { isTransactionControl, splitStatements } from '../sql/statement-kind.ts';
import { bindRow, buildDelete, buildInsert, buildSelect, buildUpdate, type InsertPlan, planInsert } from '../sql/statements.ts';
import type { ExecuteResult, Row, RowId } from '../types.ts';
import { fromDatabase, untypedToDatabase } from '../values.ts';
import type { SqliteEngine, SqliteRow } from './engine.ts';
import type { SqliteCatalog } from './sqlite-catalog.ts';
import { sqliteDialect } from './sqlite-dialect.ts';
import type { SqliteWriter } from './sqlite-writer.ts';

const rowId = (id: bigint): RowId => fromDatabase(id, 'integer') as RowId;

function decodeUntypedRow(row: SqliteRow): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = fromDatabase(value, null);
  return out;
}

/**
 * The row methods of §4 on SQLite, synchronous so a batch or a group commit can run them
 * inside its own transaction. Writes go to the writer (in the given transaction or none);
 * reads outside a transaction go to the query-only reader: the last committed state.
 */
export class SqliteRows {
  constructor(
    private readonly writer: SqliteWriter,
    private readonly reader: SqliteEngine,
    private readonly catalog: SqliteCatalog,
  ) {}

  /** One operation by method name (batch, group commit); `readEngine` overrides where selects read. */
  run(method: BatchMethod, params: unknown, readEngine?: SqliteEngine): unknown {
    switch (method) {
      case 'insert':
        return this.insert(params as InsertInput);
      case 'insert_many':
        return this.insertMany(params as InsertManyInput);
      case 'update':
        return this.update(params as UpdateInput);
      case 'delete':
        return this.delete(params as DeleteInput);
      case 'select':
        return this.select(params as SelectInput, readEngine);
      case 'execute':
        return this.execute(params as ExecuteInput);
    }
  }

  private readConnection(transactionId: string | undefined): SqliteEngine {
    if (transactionId === undefined) return this.reader;
    this.writer.require(transactionId);
    return this.writer.engine;
  }

  insert(input: InsertInput): { row_id: RowId } {
    const engine = this.writer.forWrite(input.transaction_id);
    const statement = buildInsert(requireTable(this.catalog, input.table_name), input.data, sqliteDialect);
    return { row_id: rowId(engine.run(statement.sql, statement.params).lastInsertRowid) };
  }

  insertMany(input: InsertManyInput): { inserted: number; row_ids: RowId[] } {
    const engine = this.writer.forWrite(input.transaction_id);
    const table = requireTable(this.catalog, input.table_name);
    // Rows with the same columns share one statement: plan it once, bind each row.
    const plans = new Map<string, InsertPlan>();
    const row_ids = this.writer.atomic(() =>
      input.rows.map((row, i) => {
        const columns = Object.keys(row);
        const signature = columns.join(',');
        let plan = plans.get(signature);
        if (!plan) plans.set(signature, (plan = planInsert(table, columns, sqliteDialect, `rows[${i}]`)));
        return rowId(engine.run(plan.sql, bindRow(plan, row, sqliteDialect, `rows[${i}]`)).lastInsertRowid);
      }),
    );
    return { inserted: row_ids.length, row_ids };
  }

  update(input: UpdateInput): { affected_rows: number } {
    const engine = this.writer.forWrite(input.transaction_id);
    const statement = buildUpdate(requireTable(this.catalog, input.table_name), input.where, input.data, sqliteDialect);
    return { affected_rows: engine.run(statement.sql, statement.params).changes };
  }

  delete(input: DeleteInput): { affected_rows: number } {
    const engine = this.writer.forWrite(input.transaction_id);
    const statement = buildDelete(requireTable(this.catalog, input.table_name), input.where, sqliteDialect);
    return { affected_rows: engine.run(statement.sql, statement.params).changes };
  }

  select(input: SelectInput, engine = this.readConnection(input.transaction_id)): { data: Row[] } {
    const statement = buildSelect(requireTable(this.catalog, input.table_name), input, sqliteDialect);
    const rows = engine.all(statement.sql, statement.params);
    const data = rows.map((row) => {
      const out: Row = {};
      for (const column of statement.columns) out[column.name] = fromDatabase(row[column.name], column.type, column.name);
      return out;
    });
    return { data };
  }

  execute(input: ExecuteInput): ExecuteResult {
    const statements = splitStatements(input.sql);
    if (statements.length !== 1) {
      throw new RpcError('VALIDATION_ERROR', `sql: expected exactly one statement, found ${statements.length}`, { field: 'sql' });
    }
    if (isTransactionControl(statements[0]!)) {
      throw new RpcError('VALIDATION_ERROR', 'sql: transaction control statements are refused; use begin_transaction / commit_transaction', {
        field: 'sql',
      });
    }
    const engine = this.writer.forWrite(input.transaction_id);
    const params = Array.isArray(input.params)
      ? input.params.map((value, i) => untypedToDatabase(value, `params[${i}]`, sqliteDialect.bind))
      : input.params &&
        Object.fromEntries(Object.entries(input.params).map(([key, value]) => [key, untypedToDatabase(value, `params.${key}`, sqliteDialect.bind)]));
    try {
      const result = engine.query(input.sql, params);
      const out: ExecuteResult = { affected_rows: result.changes, last_row_id: rowId(result.lastInsertRowid) };
      if (result.rows) out.rows = result.rows.map(decodeUntypedRow);
      return out;
    } finally {
      // Raw SQL may change the schema.
      this.catalog.invalidate();
    }
  }
}
