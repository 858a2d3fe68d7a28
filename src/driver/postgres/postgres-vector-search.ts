import type { VectorSearchInput } from '../params.ts';
import { quote } from '../sql/identifiers.ts';
import { answerRow, planVectorScan, wrongLength } from '../sql/vector-search.ts';
import type { Row } from '../types.ts';
import { cosineDistanceInt8 } from '../vector-codec.ts';
import { buildHnswIndex, HNSW_MAX_DIMENSIONS, hnswIndexName, INT8_VECTOR_FUNCTION, type PgvectorState } from './pgvector.ts';
import type { PgPool, PgQueryable } from './postgres-client.ts';
import type { PostgresCatalog } from './postgres-catalog.ts';
import { postgresDialect } from './postgres-dialect.ts';
import { toRpcError } from './postgres-errors.ts';

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

/** An HNSW index of one column and vector length: being built, usable, or failed (why). */
type IndexState = { state: 'building' } | { state: 'ready' } | { state: 'failed'; reason: string };

/**
 * `vector_search` on PostgreSQL. With pgvector the server ranks by `<=>` over the stored
 * bytes as vectors, through an HNSW index on that expression, partial on the vector's length
 * (indexes need a fixed dimension, and a column may hold several models' lengths). The
 * first search of a column and length starts building that index in the background
 * (CONCURRENTLY: writers are not blocked) and is answered by the exact scan, as is every
 * search until the index is usable, every search of more than 2,000 dimensions, and every
 * search the index answers short (HNSW looks at a bounded list of neighbours: a `where`
 * that few of them pass can leave it with fewer rows than asked for).
 * HNSW is approximate: the exact scan may find a neighbour the index misses.
 */
export class PostgresVectorSearch {
  private readonly indexes = new Map<string, IndexState>();
  /** The connections of builds under way, ended when the driver closes. */
  private readonly building = new Set<PgPool>();

  constructor(
    private readonly catalog: PostgresCatalog,
    private readonly pgvector: PgvectorState,
    /** A connection of its own for building an index: outside the pool and any request's deadline. */
    private readonly connect: () => PgPool,
  ) {}

  async search(input: VectorSearchInput, via: PgQueryable): Promise<{ data: Row[] }> {
    if (!this.pgvector.available) return vectorSearchPostgres(this.catalog, input, via);
    await this.catalog.require(input.table, via, 'table');
    const scan = planVectorScan(this.catalog, input, postgresDialect, 'ctid');
    const dimensions = scan.query.length;
    const table = quote(scan.table.name);
    if (dimensions > HNSW_MAX_DIMENSIONS || !this.indexReady(scan.table.name, scan.vectorColumn.name, dimensions)) {
      return vectorSearchPostgres(this.catalog, input, via);
    }
    // A stored vector of another length fails the search, as the exact scan does.
    const [odd] = await via.unsafe(`SELECT length(${scan.vector}) AS bytes FROM ${table}${scan.where} AND length(${scan.vector}) <> ${dimensions} LIMIT 1`, scan.bindings.values);
    if (odd) throw wrongLength(scan, `${odd.bytes} bytes long`, dimensions);
    const query = scan.bindings.add(`[${Array.from(new Int8Array(scan.query.buffer, scan.query.byteOffset, scan.query.byteLength)).join(',')}]`);
    const distance = `${INT8_VECTOR_FUNCTION}(${scan.vector})::vector(${dimensions}) <=> ${query}::vector(${dimensions})`;
    const selected = [...scan.columns.map((column) => quote(column.name)), ...scan.ties.map((tie, i) => `${tie} AS "$tie${i}"`), `${distance} AS "$distance"`];
    // The inner ORDER BY is the index's (distance alone, with LIMIT); ties are ordered after.
    const nearest = `SELECT ${selected.join(', ')} FROM ${table}${scan.where} AND length(${scan.vector}) = ${dimensions} ORDER BY ${distance} LIMIT ${input.limit}`;
    const ties = scan.ties.map((_, i) => `"$tie${i}"`);
    const rows = await via.unsafe(`SELECT * FROM (${nearest}) AS nearest ORDER BY "$distance", ${ties.join(', ')}`, scan.bindings.values);
    if (rows.length < input.limit) return vectorSearchPostgres(this.catalog, input, via);
    // Rounded to single precision, as sqlite-vec answers.
    return { data: rows.map((row) => answerRow(scan, row, Math.fround(Number(row.$distance)))) };
  }

  /** Whether the index of this column and length is usable; the first ask starts building it. */
  private indexReady(table: string, column: string, dimensions: number): boolean {
    const name = hnswIndexName(table, column, dimensions);
    const known = this.indexes.get(name);
    if (known) return known.state === 'ready';
    this.indexes.set(name, { state: 'building' });
    const connection = this.connect();
    this.building.add(connection);
    buildHnswIndex(connection, table, column, dimensions)
      .then(
        () => this.indexes.set(name, { state: 'ready' }),
        (error: unknown) => this.indexes.set(name, { state: 'failed', reason: toRpcError(error).message }),
      )
      .finally(() => {
        this.building.delete(connection);
        return connection.end({ timeout: 5 });
      })
      .catch(() => undefined);
    return false;
  }

  /** Stop waiting on builds under way (the server finishes or drops each on its own). */
  async close(): Promise<void> {
    await Promise.all([...this.building].map((connection) => connection.end({ timeout: 0 })));
  }

  stats(): Record<string, unknown> {
    if (!this.pgvector.available) return { ranking: 'exact scan in the driver', pgvector: this.pgvector.reason };
    return { ranking: 'pgvector HNSW, exact scan until an index is built', pgvector: this.pgvector.version, hnsw_indexes: Object.fromEntries(this.indexes) };
  }
}
