import type { TableCatalog } from '../catalog.ts';
import type { VectorSearchInput } from '../params.ts';
import { quote } from '../sql/identifiers.ts';
import { answerRow, planVectorScan, wrongLength } from '../sql/vector-search.ts';
import type { Row } from '../types.ts';
import type { SqliteEngine } from './engine.ts';
import { sqliteDialect } from './sqlite-dialect.ts';

// An answer-only name: no identifier a table may have contains "$", so it never collides.
const DISTANCE = '"$distance"';

/**
 * `vector_search` on SQLite: one statement ranks the rows `where` selects by sqlite-vec's
 * `vec_distance_cosine` over int8 vectors (the extension every connection loads). A row
 * whose stored value is no vector of the query's length gets no distance (NULL), and NULLs
 * sort first: the one scan finds such rows, and the search fails naming them instead of
 * skipping them. A zero vector, which has no direction, is at distance 1.
 */
export function vectorSearchSqlite(engine: SqliteEngine, catalog: TableCatalog, input: VectorSearchInput): { data: Row[] } {
  const scan = planVectorScan(catalog, input, sqliteDialect, 'rowid');
  const v = scan.vector;
  const fits = `typeof(${v}) = 'blob' AND length(${v}) = ?`;
  const distance = `CASE WHEN ${fits} THEN coalesce(vec_distance_cosine(vec_int8(${v}), vec_int8(?)), 1) END`;
  const selected = [...scan.columns.map((column) => quote(column.name)), `${distance} AS ${DISTANCE}`];
  const from = ` FROM ${quote(scan.table.name)}${scan.where}`;
  const dimensions = scan.query.length;
  const rows = engine.all(`SELECT ${selected.join(', ')}${from} ORDER BY ${DISTANCE}, ${scan.ties.join(', ')} LIMIT ?`, [
    dimensions,
    scan.query,
    ...scan.bindings.values,
    input.limit,
  ]);
  if (rows.length > 0 && rows[0]!.$distance === null) {
    // The error path only: what the first such row holds, for the message.
    const [misfit] = engine.all(`SELECT typeof(${v}) AS type, length(${v}) AS bytes${from} AND NOT (${fits}) LIMIT 1`, [...scan.bindings.values, dimensions]);
    const stored = misfit?.type === 'blob' ? `${misfit.bytes} bytes long` : `a ${String(misfit?.type)} value, not a blob`;
    throw wrongLength(scan, stored, dimensions);
  }
  return { data: rows.map((row) => answerRow(scan, row, Number(row.$distance))) };
}
