import type { TableCatalog } from '../catalog.ts';
import type { VectorSearchInput } from '../params.ts';
import { quote } from '../sql/identifiers.ts';
import { answerRow, planVectorScan, wrongLength } from '../sql/vector-search.ts';
import type { Row } from '../types.ts';
import type { SqliteEngine } from './engine.ts';
import { sqliteDialect } from './sqlite-dialect.ts';

// Answer-only names: no identifier a table may have contains "$", so they never collide.
const FITS = '$fits';
const DISTANCE = '$distance';
const TYPE = '$type';
const BYTES = '$bytes';

/**
 * `vector_search` on SQLite: one statement ranks the rows `where` selects by sqlite-vec's
 * `vec_distance_cosine` over int8 vectors (the extension every connection loads). Rows whose
 * stored value is no vector of the query's length sort first (`$fits` = 0), so the one scan
 * finds them and the search fails naming them instead of skipping them; the distance is
 * computed for the others only. A zero vector, which has no direction, is at distance 1.
 */
export function vectorSearchSqlite(engine: SqliteEngine, catalog: TableCatalog, input: VectorSearchInput): { data: Row[] } {
  const scan = planVectorScan(catalog, input, sqliteDialect, 'rowid');
  const v = scan.vector;
  const fits = `(typeof(${v}) = 'blob' AND length(${v}) = ?)`;
  const distance = `CASE WHEN ${fits} THEN coalesce(vec_distance_cosine(vec_int8(${v}), vec_int8(?)), 1) END`;
  const selected = scan.columns.map((column) => quote(column.name));
  const sql =
    `SELECT ${[...selected, `${fits} AS "${FITS}"`, `${distance} AS "${DISTANCE}"`, `typeof(${v}) AS "${TYPE}"`, `length(${v}) AS "${BYTES}"`].join(', ')}` +
    ` FROM ${quote(scan.table.name)}${scan.where} ORDER BY "${FITS}", "${DISTANCE}", ${scan.ties.join(', ')} LIMIT ?`;
  const dimensions = scan.query.length;
  const rows = engine.all(sql, [dimensions, dimensions, scan.query, ...scan.bindings.values, input.limit]);
  const first = rows[0];
  if (first && Number(first[FITS]) === 0) {
    const stored = first[TYPE] === 'blob' ? `${first[BYTES]} bytes long` : `a ${String(first[TYPE])} value, not a blob`;
    throw wrongLength(scan, stored, dimensions);
  }
  return { data: rows.map((row) => answerRow(scan, row, Number(row[DISTANCE]))) };
}
