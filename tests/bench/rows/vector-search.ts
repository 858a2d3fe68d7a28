import { join } from 'node:path';
import type { DatabaseClient } from '../../../src/db/database-client.ts';
import { normalized, quantizeInt8 } from '../../../src/driver/vector-codec.ts';
import { seededRandom } from '../../../src/embeddings/builtin/seeded-random.ts';
import { startPostgres } from '../../helpers/postgres.ts';
import { type DriverChild, startDriver } from '../lib/driver-child.ts';
import { progress } from '../lib/progress.ts';
import type { BenchSettings } from '../lib/settings.ts';
import { ratio, type Summary } from '../lib/summary.ts';
import { timeAsync, timeSync } from '../lib/timed-loop.ts';

const TABLE = 'bench_vectors';
const PROJECT = 'searched';
const INSERT_BATCH = 5_000;

/** Unit vectors with some structure (a few shared directions plus noise), as embeddings have. */
function makeVectors(count: number, dimensions: number, seed: number): Float32Array[] {
  const next = seededRandom(seed);
  const centers = Array.from({ length: 32 }, () => Array.from({ length: dimensions }, () => next() * 2 - 1));
  return Array.from({ length: count }, () => {
    const center = centers[Math.floor(next() * centers.length)]!;
    return normalized(center.map((x) => x + (next() * 2 - 1) * 1.5));
  });
}

/** The baseline: the exact top k by cosine over Float32Arrays, in this process, among the searched project's vectors. */
function exactTopK(stored: Array<{ project: string; vector: Float32Array }>, query: Float32Array, limit: number): number[] {
  const best: Array<{ index: number; score: number }> = [];
  for (let index = 0; index < stored.length; index++) {
    const row = stored[index]!;
    if (row.project !== PROJECT) continue;
    let dot = 0;
    let norm = 0;
    for (let d = 0; d < query.length; d++) {
      dot += row.vector[d]! * query[d]!;
      norm += row.vector[d]! * row.vector[d]!;
    }
    const score = dot / Math.sqrt(norm);
    if (best.length === limit && score <= best[limit - 1]!.score) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.score < score) at--;
    best.splice(at, 0, { index, score });
    if (best.length > limit) best.pop();
  }
  return best.map((entry) => entry.index + 1);
}

async function load(client: DatabaseClient, stored: Array<{ project: string; vector: Float32Array }>): Promise<void> {
  await client.createTable({
    name: TABLE,
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'project', type: 'text', not_null: true },
      { name: 'vector', type: 'blob', not_null: true },
    ],
    indexes: [{ name: `${TABLE}_project`, columns: ['project'] }],
  });
  for (let start = 0; start < stored.length; start += INSERT_BATCH) {
    const rows = stored.slice(start, start + INSERT_BATCH).map((row, i) => ({
      id: start + i + 1,
      project: row.project,
      vector: { $blob: Buffer.from(quantizeInt8(row.vector)).toString('base64') },
    }));
    await client.insertMany(TABLE, rows);
  }
}

/** Time the queries through a driver; its answers' overlap with the exact float top k (int8 costs little). */
async function measureDriver(driver: DriverChild, label: string, stored: Array<{ project: string; vector: Float32Array }>, queries: Float32Array[], exact: number[][], settings: BenchSettings['vectorSearch']) {
  const client = driver.client();
  progress(`vector search: ${label}: loading ${stored.length} vectors`);
  await load(client, stored);
  const search = (i: number) =>
    client.vectorSearch({ table: TABLE, column: 'vector', vector: Array.from(queries[i % queries.length]!), limit: settings.limit, where: { project: PROJECT }, columns: ['id'] });
  // PostgreSQL with pgvector: the first search starts the HNSW build; measure once it is built.
  await search(0);
  const ranking = await waitForIndexes(client, label);
  let found = 0;
  for (const [i, ids] of exact.entries()) {
    const answer = new Set((await search(i)).data.map((row) => row.id));
    found += ids.filter((id) => answer.has(id)).length;
  }
  progress(`vector search: ${label}: ${settings.queries.ops} queries`);
  const timed = await timeAsync(search, settings.queries);
  return { timed, recall: Number((found / (exact.length * settings.limit)).toFixed(3)), ranking };
}

/** How the driver ranks (PostgreSQL: pgvector or the exact scan), once no index of it is still being built. */
async function waitForIndexes(client: DatabaseClient, label: string): Promise<string> {
  for (let announced = false; ; announced = true) {
    const { driver } = (await client.stats()) as { driver: { vector_search?: { ranking: string; pgvector?: string; hnsw_indexes?: Record<string, { state: string }> } } };
    const vectors = driver.vector_search;
    if (!vectors) return 'sqlite-vec vec_distance_cosine (a full scan of the selected rows)';
    if (!Object.values(vectors.hnsw_indexes ?? {}).some((index) => index.state === 'building')) return `${vectors.ranking} (pgvector: ${vectors.pgvector})`;
    if (!announced) progress(`vector search: ${label}: waiting for the HNSW index to be built`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Semantic query latency (issue 11): `vector_search` of the top k over ≥ 50,000 int8 vectors
 * of one project (a `where` on the project column leaves the others out), through the
 * driver process on SQLite (sqlite-vec) and on PostgreSQL (pgvector where the server has it, else the exact scan in the driver),
 * against the same exact scan done in this process over Float32Arrays.
 */
export async function vectorSearch(dir: string, settings: BenchSettings['vectorSearch'], withPostgres: boolean) {
  const total = settings.vectors + settings.otherVectors;
  const vectors = makeVectors(total, settings.dimensions, 11);
  // The other project's rows are spread evenly among the searched ones, so the where has work to do.
  const isOther = (i: number) => Math.floor(((i + 1) * settings.otherVectors) / total) > Math.floor((i * settings.otherVectors) / total);
  const stored = vectors.map((vector, i) => ({ project: isOther(i) ? 'other' : PROJECT, vector }));
  const queries = makeVectors(settings.queries.ops + settings.queries.warmup, settings.dimensions, 23);

  progress(`vector search: in-process exact scan over Float32Arrays, ${settings.queries.ops} queries`);
  const exact = queries.map((query) => exactTopK(stored, query, settings.limit));
  const baseline: Summary = timeSync((i) => exactTopK(stored, queries[i % queries.length]!, settings.limit), settings.queries);

  const sqliteDriver = await startDriver(join(dir, 'sqlite'));
  let sqlite: Awaited<ReturnType<typeof measureDriver>>;
  try {
    sqlite = await measureDriver(sqliteDriver, 'SQLite', stored, queries, exact, settings);
  } finally {
    await sqliteDriver.stop();
  }

  let postgres: Awaited<ReturnType<typeof measureDriver>> | undefined;
  if (withPostgres) {
    const server = await startPostgres();
    const pgDriver = await startDriver(join(dir, 'postgres'), ['--pool-size', '2'], await server.createDatabase('vectors'));
    try {
      postgres = await measureDriver(pgDriver, 'PostgreSQL', stored, queries, exact, settings);
    } finally {
      await pgDriver.stop();
    }
  }

  const row = (measured: Awaited<ReturnType<typeof measureDriver>>) => ({
    ...measured.timed,
    vs_baseline: ratio(measured.timed, baseline),
    p50_ratio: Number((measured.timed.p50_us / baseline.p50_us).toFixed(2)),
    recall_at_k_vs_float32: measured.recall,
    ranking: measured.ranking,
  });
  return {
    vectors_searched: settings.vectors,
    vectors_in_table: total,
    dimensions: settings.dimensions,
    limit: settings.limit,
    baseline_js_float32_exact_scan: baseline,
    sqlite_vec_driver_process: row(sqlite),
    postgres_driver_process: postgres ? row(postgres) : { skipped: 'no initdb/pg_ctl on this machine' },
  };
}
