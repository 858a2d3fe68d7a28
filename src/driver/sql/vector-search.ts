import { RpcError } from '../../ipc/errors.ts';
import { requireColumn, requireTable, type TableCatalog, type TableInfo } from '../catalog.ts';
import { DISTANCE_FIELD, type VectorSearchInput } from '../params.ts';
import type { Row } from '../types.ts';
import { type ColumnInfo, fromDatabase } from '../values.ts';
import { normalized, quantizeInt8 } from '../vector-codec.ts';
import { Bindings, type Dialect } from './dialect.ts';
import { quote } from './identifiers.ts';
import { buildWhere } from './where.ts';

/**
 * What both engines' `vector_search` share: the names checked against the live table, the
 * query in its stored form, the rows `where` selects, the order of ties, and the error for
 * a stored vector of the wrong length. Each engine ranks in its own way.
 */
export interface VectorScan {
  table: TableInfo;
  /** The vector column, and its name quoted. */
  vectorColumn: ColumnInfo;
  vector: string;
  /** The query, normalized and quantized like a stored vector. */
  query: Uint8Array;
  /** The columns each answer row carries (before its distance). */
  columns: ColumnInfo[];
  /** `WHERE <vector> IS NOT NULL [AND <where>]`: a row without a vector has nothing to rank. */
  where: string;
  /** The values of `where`'s placeholders. */
  bindings: Bindings;
  /** ORDER BY terms that break distance ties: the primary key, else the engine's row id. */
  ties: string[];
}

/** Check the names and build the scan's shared parts (`rowIdentity`: the engine's row id, for ties without a key). */
export function planVectorScan(catalog: TableCatalog, input: VectorSearchInput, dialect: Dialect, rowIdentity: string): VectorScan {
  const bindings = new Bindings(dialect);
  const table = requireTable(catalog, input.table, 'table');
  const column = requireColumn(table, input.column, 'column');
  if (column.type !== 'blob') {
    throw new RpcError('VALIDATION_ERROR', `column: "${input.column}" of table "${table.name}" is ${column.type ?? column.declaredType}, not a blob column of int8 vectors`, {
      field: 'column',
      table: table.name,
      column: column.name,
    });
  }
  const columns = input.columns ? input.columns.map((name, i) => requireColumn(table, name, `columns[${i}]`)) : [...table.columns.values()];
  const vector = quote(column.name);
  const filter = buildWhere(table, input.where, dialect, bindings);
  const where = ` WHERE ${vector} IS NOT NULL${filter ? ` AND ${filter.slice(' WHERE '.length)}` : ''}`;
  const keys = [...table.columns.values()].filter((c) => c.primaryKey).map((c) => quote(c.name));
  return { table, vectorColumn: column, vector, query: quantizeInt8(normalized(input.vector)), columns, where, bindings, ties: keys.length ? keys : [rowIdentity] };
}

/** A stored vector that is no vector of the query's length: the whole search fails, naming it. */
export function wrongLength(scan: VectorScan, stored: string, dimensions: number): RpcError {
  return new RpcError(
    'VALIDATION_ERROR',
    `table "${scan.table.name}" column "${scan.vectorColumn.name}": a stored vector is ${stored}, where the query vector has ${dimensions} dimensions (one byte each)`,
    { table: scan.table.name, column: scan.vectorColumn.name, field: 'vector', dimensions },
  );
}

/** One answer row: the asked columns, decoded as `select` decodes them, and the distance. */
export function answerRow(scan: VectorScan, row: Record<string, unknown>, distance: number): Row {
  const out: Row = {};
  for (const column of scan.columns) out[column.name] = fromDatabase(row[column.name], column.type, column.name);
  out[DISTANCE_FIELD] = distance;
  return out;
}
