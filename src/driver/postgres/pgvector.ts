import type { PgQueryable } from './postgres-client.ts';
import { quote } from '../sql/identifiers.ts';
import { toRpcError } from './postgres-errors.ts';

/** `database.pgvector`: use the extension when it can be had (`auto`), or never (`off`). */
export type PgvectorMode = 'auto' | 'off';

/** What the driver found of pgvector on its database, said by `stats` and used by `vector_search`. */
export type PgvectorState = { available: true; version: string } | { available: false; reason: string };

/**
 * The stored int8 vector (a bytea, one signed byte per dimension) as a pgvector `vector`:
 * declared IMMUTABLE so an index can be built on it. Cosine distance ignores the scale, so
 * the bytes need not be divided by 127.
 */
export const INT8_VECTOR_FUNCTION = 'code_analysis_int8_vector';
const CREATE_FUNCTION = `CREATE FUNCTION ${INT8_VECTOR_FUNCTION}(bytes bytea) RETURNS vector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT array_agg(((get_byte(bytes, i) + 128) % 256 - 128)::real ORDER BY i)::vector FROM generate_series(0, length(bytes) - 1) AS i $$`;

const functionExists = async (via: PgQueryable) => {
  const [row] = await via.unsafe(`SELECT to_regprocedure('${INT8_VECTOR_FUNCTION}(bytea)') IS NOT NULL AS present`);
  return row?.present === true;
};

const installedVersion = async (via: PgQueryable) => {
  const [row] = await via.unsafe(`SELECT extversion FROM pg_extension WHERE extname = 'vector'`);
  return row ? String(row.extversion) : undefined;
};

const reasonOf = (error: unknown) => toRpcError(error).message;

/**
 * Find pgvector at start: installed already, or installed now by `CREATE EXTENSION` where
 * the role may (the rule: use it when that succeeds). Without it — no package on the
 * server, no privilege, or `off` — `vector_search` scans exactly, and `stats` says why.
 */
export async function detectPgvector(via: PgQueryable, mode: PgvectorMode): Promise<PgvectorState> {
  if (mode === 'off') return { available: false, reason: 'database.pgvector is off' };
  let version = await installedVersion(via);
  if (version === undefined) {
    let failure: unknown;
    await via.unsafe('CREATE EXTENSION IF NOT EXISTS vector').catch((error: unknown) => (failure = error));
    // Another driver starting on the same database may have installed it meanwhile.
    version = await installedVersion(via);
    if (version === undefined) return { available: false, reason: `CREATE EXTENSION vector failed: ${failure === undefined ? 'pg_extension does not list it' : reasonOf(failure)}` };
  }
  if (!(await functionExists(via))) {
    try {
      await via.unsafe(CREATE_FUNCTION);
    } catch (error) {
      // Another driver on the same database may have created it meanwhile.
      if (!(await functionExists(via))) return { available: false, reason: `cannot create ${INT8_VECTOR_FUNCTION}(bytea): ${reasonOf(error)}` };
    }
  }
  return { available: true, version };
}

/** HNSW indexes `vector` columns up to this many dimensions; longer vectors are scanned exactly. */
export const HNSW_MAX_DIMENSIONS = 2000;

/** PostgreSQL truncates identifiers past 63 bytes: a long name keeps its start and a hash of the whole. */
export function hnswIndexName(table: string, column: string, dimensions: number): string {
  const name = `${table}$${column}$hnsw${dimensions}`;
  const bytes = new TextEncoder().encode(name);
  if (bytes.length <= 63) return name;
  let hash = 2166136261; // FNV-1a
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  return `${name.slice(0, 40)}$${hash.toString(16)}`;
}

/**
 * Build the HNSW index of one column's vectors of one length, CONCURRENTLY (writers go on),
 * on `connection`: one of its own, without a statement timeout (a large table takes
 * minutes), not one of the pool's, which requests need. An index left invalid by an
 * interrupted build is dropped and built again.
 */
export async function buildHnswIndex(connection: PgQueryable, table: string, column: string, dimensions: number): Promise<void> {
  const name = quote(hnswIndexName(table, column, dimensions));
  const [existing] = await connection.unsafe('SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass($1)', [name]);
  if (existing?.valid === true) return;
  if (existing) await connection.unsafe(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  const vector = `${INT8_VECTOR_FUNCTION}(${quote(column)})::vector(${dimensions})`;
  try {
    await connection.unsafe(`CREATE INDEX CONCURRENTLY ${name} ON ${quote(table)} USING hnsw ((${vector}) vector_cosine_ops) WHERE length(${quote(column)}) = ${dimensions}`);
  } catch (error) {
    await connection.unsafe(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`).catch(() => undefined);
    throw error;
  }
}
