import type { VectorSearchInput } from '../params.ts';
import { quote } from '../sql/identifiers.ts';
import { answerRow, planVectorScan, wrongLength } from '../sql/vector-search.ts';
import type { Row } from '../types.ts';
import { cosineDistanceInt8 } from '../vector-codec.ts';
import type { PgQueryable } from './postgres-client.ts';
import type { PostgresCatalog } from './postgres-catalog.ts';
import { postgresDialect } from './postgres-dialect.ts';

// An answer-only name: no identifier a table may have contains "$".
const VECTOR = '$vector';

interface Ranked {
  row: Record<string, unknown>;
  distance: number;
}

/**
 * `vector_search` on PostgreSQL without pgvector: the exact scan. The server filters by
 * `where` and sends the rows in tie order (primary key, else ctid); the driver computes each
 * cosine distance over the int8 bytes as sqlite-vec does and keeps the `limit` nearest,
 * the earlier row first on equal distances. A stored value of the wrong length fails the
 * search, naming the table and column, as on SQLite.
 */
export async function vectorSearchPostgres(catalog: PostgresCatalog, input: VectorSearchInput, via: PgQueryable): Promise<{ data: Row[] }> {
  await catalog.require(input.table, via, 'table');
  const scan = planVectorScan(catalog, input, postgresDialect, 'ctid');
  const selected = [...scan.columns.map((column) => quote(column.name)), `${scan.vector} AS "${VECTOR}"`];
  const sql = `SELECT ${selected.join(', ')} FROM ${quote(scan.table.name)}${scan.where} ORDER BY ${scan.ties.join(', ')}`;
  const rows = await via.unsafe(sql, scan.bindings.values);
  const query = new Int8Array(scan.query.buffer, scan.query.byteOffset, scan.query.byteLength);
  const best: Ranked[] = [];
  for (const row of rows) {
    const bytes = row[VECTOR] as Uint8Array;
    if (bytes.byteLength !== query.length) throw wrongLength(scan, `${bytes.byteLength} bytes long`, query.length);
    // Rounded to single precision, as sqlite-vec answers: both engines rank alike.
    const distance = Math.fround(cosineDistanceInt8(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), query));
    if (best.length === input.limit && distance >= best[best.length - 1]!.distance) continue;
    // After every equal distance: ties keep the rows' order.
    let at = best.length;
    while (at > 0 && best[at - 1]!.distance > distance) at--;
    best.splice(at, 0, { row, distance });
    if (best.length > input.limit) best.pop();
  }
  return { data: best.map((entry) => answerRow(scan, entry.row, entry.distance)) };
}
