import { requireColumn, type TableInfo } from '../catalog.ts';
import type { OrderByEntry, Where } from '../params.ts';
import { type ColumnInfo, toDatabase } from '../values.ts';
import { Bindings, type Dialect } from './dialect.ts';
import { quote } from './identifiers.ts';
import type { RowRun } from './row-runs.ts';
import { buildWhere } from './where.ts';

export interface Statement {
  sql: string;
  params: unknown[];
}

export interface SelectStatement extends Statement {
  /** The selected columns, to decode the rows. */
  columns: ColumnInfo[];
}

export interface SelectSpec {
  where?: Where;
  columns?: string[];
  limit?: number;
  offset?: number;
  order_by?: OrderByEntry[];
}

export function buildSelect(table: TableInfo, spec: SelectSpec, dialect: Dialect): SelectStatement {
  const bindings = new Bindings(dialect);
  const columns = spec.columns
    ? spec.columns.map((name, i) => requireColumn(table, name, `columns[${i}]`))
    : [...table.columns.values()];
  let sql = `SELECT ${columns.map((c) => quote(c.name)).join(', ')} FROM ${quote(table.name)}`;
  sql += buildWhere(table, spec.where, dialect, bindings);
  if (spec.order_by?.length) {
    const terms = spec.order_by.map((entry, i) => {
      requireColumn(table, entry.column, `order_by[${i}]`);
      return dialect.orderTerm(quote(entry.column), entry.direction);
    });
    sql += ` ORDER BY ${terms.join(', ')}`;
  }
  if (spec.limit !== undefined) sql += ` LIMIT ${bindings.add(spec.limit)}`;
  if (spec.offset !== undefined) {
    if (spec.limit === undefined && dialect.offsetNeedsLimit) sql += ` LIMIT ${bindings.add(-1)}`;
    sql += ` OFFSET ${bindings.add(spec.offset)}`;
  }
  return { sql, params: bindings.values, columns };
}

/** The column list and values of one row, checked against the table. */
function rowValues(table: TableInfo, data: Record<string, unknown>, dialect: Dialect, field: string) {
  return Object.entries(data).map(([name, value]) => {
    const column = requireColumn(table, name, `${field}.${name}`);
    return { name, value: toDatabase(value, column, `${field}.${name}`, dialect.bind) };
  });
}

/** An INSERT of fixed columns, built once and bound per row (insert_many). */
export interface InsertPlan {
  sql: string;
  columns: ColumnInfo[];
}

export function planInsert(table: TableInfo, names: string[], dialect: Dialect, field = 'data'): InsertPlan {
  if (names.length === 0) return { sql: `INSERT INTO ${quote(table.name)} DEFAULT VALUES`, columns: [] };
  const columns = names.map((name) => requireColumn(table, name, `${field}.${name}`));
  const placeholders = columns.map((_, i) => dialect.placeholder(i + 1));
  return {
    sql: `INSERT INTO ${quote(table.name)} (${names.map(quote).join(', ')}) VALUES (${placeholders.join(', ')})`,
    columns,
  };
}

/** The bound values of one row for a plan whose columns are exactly the row's keys. */
export function bindRow(plan: InsertPlan, data: Record<string, unknown>, dialect: Dialect, field = 'data'): unknown[] {
  return plan.columns.map((column) => toDatabase(data[column.name], column, `${field}.${column.name}`, dialect.bind));
}

/**
 * Row `j` of a run (row-runs.ts) bound for its plan, whose columns are the run's. The names
 * of the fields are built only when a value is refused: a 10,000-row call would otherwise
 * build one string per value, for errors that almost never happen.
 */
export function bindRunRow(plan: InsertPlan, run: RowRun, j: number, dialect: Dialect): unknown[] {
  const { columns } = plan;
  const bound = new Array<unknown>(columns.length);
  try {
    for (let c = 0; c < columns.length; c++) bound[c] = toDatabase(run.values[c]![j], columns[c]!, '', dialect.bind);
  } catch (unnamed) {
    // Again with the names, so the error says which row and column.
    for (let c = 0; c < columns.length; c++) {
      toDatabase(run.values[c]![j], columns[c]!, `rows[${run.first + j}].${columns[c]!.name}`, dialect.bind);
    }
    throw unnamed;
  }
  return bound;
}

export function buildInsert(table: TableInfo, data: Record<string, unknown>, dialect: Dialect, field = 'data'): Statement {
  const plan = planInsert(table, Object.keys(data), dialect, field);
  return { sql: plan.sql, params: bindRow(plan, data, dialect, field) };
}

export function buildUpdate(table: TableInfo, where: Where, data: Record<string, unknown>, dialect: Dialect): Statement {
  const bindings = new Bindings(dialect);
  const assignments = rowValues(table, data, dialect, 'data').map((entry) => `${quote(entry.name)} = ${bindings.add(entry.value)}`);
  const sql = `UPDATE ${quote(table.name)} SET ${assignments.join(', ')}${buildWhere(table, where, dialect, bindings)}`;
  return { sql, params: bindings.values };
}

export function buildDelete(table: TableInfo, where: Where, dialect: Dialect): Statement {
  const bindings = new Bindings(dialect);
  return { sql: `DELETE FROM ${quote(table.name)}${buildWhere(table, where, dialect, bindings)}`, params: bindings.values };
}
