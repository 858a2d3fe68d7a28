import { beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import type { PostgresDriver } from '../../../src/driver/postgres/postgres-driver.ts';
import { hnswIndexName } from '../../../src/driver/postgres/pgvector.ts';
import { cosineDistanceInt8 } from '../../../src/driver/vector-codec.ts';
import { openPostgresDriver, startPostgres } from '../../helpers/postgres.ts';
import { describeWithPostgres } from '../../helpers/postgres-suite.ts';
import { blobOf, int8Of, seededUnitVector } from '../../helpers/seeded-vectors.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/**
 * `vector_search` on PostgreSQL with and without pgvector. This machine's PostgreSQL has no
 * pgvector package, so here the driver must say why it scans exactly; where the server
 * has the extension (`pg_available_extensions`), the pgvector path runs: the HNSW index is
 * built in the background and then answers like the exact scan.
 */

const DIMENSIONS = 16;

const vectorOf = (seed: number) => seededUnitVector(seed, DIMENSIONS);
const vectorStats = (driver: PostgresDriver) => driver.stats().vector_search as Record<string, unknown>;

async function pgvectorInstallable(): Promise<boolean> {
  const server = await startPostgres();
  const sql = postgres(await server.createDatabase(), { max: 1, onnotice: () => undefined });
  try {
    return (await sql`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`).length > 0;
  } finally {
    await sql.end();
  }
}

async function fill(driver: PostgresDriver, rows: number) {
  await driver.createTable({
    schema: {
      name: 'vecs',
      columns: [
        { name: 'id', type: 'integer', primary_key: true, unique: false, not_null: true },
        { name: 'project', type: 'text', primary_key: false, unique: false, not_null: true },
        { name: 'vector', type: 'blob', primary_key: false, unique: false, not_null: false },
      ],
      indexes: [],
    },
  } as never);
  // One row in fifty belongs to the rare project: a `where` that few neighbours pass.
  const data = Array.from({ length: rows }, (_, i) => ({ id: i + 1, project: i % 50 === 0 ? 'rare' : 'main', vector: blobOf(vectorOf(i + 1)) }));
  for (let at = 0; at < data.length; at += 1000) await driver.insertMany({ table_name: 'vecs', rows: data.slice(at, at + 1000) } as never);
  return data.map((row) => ({ id: row.id, project: row.project, vector: vectorOf(row.id) }));
}

function exact(stored: Array<{ id: number; project: string; vector: number[] }>, query: number[], limit: number, project?: string) {
  const q = int8Of(query);
  return stored
    .filter((row) => project === undefined || row.project === project)
    .map((row) => ({ id: row.id, distance: Math.fround(cosineDistanceInt8(int8Of(row.vector), q)) }))
    .sort((a, b) => a.distance - b.distance || a.id - b.id)
    .slice(0, limit);
}

const search = async (driver: PostgresDriver, query: number[], limit: number, project?: string) =>
  (await driver.vectorSearch({ table: 'vecs', column: 'vector', vector: query, limit, columns: ['id'], ...(project ? { where: { project } } : {}) } as never)).data as Array<{
    id: number;
    distance: number;
  }>;

describeWithPostgres('vector_search and pgvector', () => {
  let installable = false;

  beforeAll(async () => {
    installable = await pgvectorInstallable();
  });

  it('with pgvector off, never touches extensions and says so', async () => {
    const { driver } = await openPostgresDriver({ poolSize: 2, pgvector: 'off' });
    expect(vectorStats(driver)).toEqual({ ranking: 'exact scan in the driver', pgvector: 'database.pgvector is off' });
    const stored = await fill(driver, 200);
    expect(await search(driver, vectorOf(5), 5)).toEqual(exact(stored, vectorOf(5), 5));
  });

  it('without the pgvector package, scans exactly and says why', async (context) => {
    if (installable) context.skip('this PostgreSQL has pgvector');
    const { driver } = await openPostgresDriver({ poolSize: 2 });
    const stats = vectorStats(driver);
    expect(stats.ranking).toBe('exact scan in the driver');
    expect(stats.pgvector).toMatch(/^CREATE EXTENSION vector failed: .*vector/);
    const stored = await fill(driver, 200);
    expect(await search(driver, vectorOf(9), 7, 'main')).toEqual(exact(stored, vectorOf(9), 7, 'main'));
  });

  describe('where the server has pgvector', () => {
    it('builds the HNSW index in the background and then ranks through it like the exact scan', async (context) => {
      if (!installable) context.skip('this PostgreSQL has no pgvector package (pg_available_extensions lists no "vector")');
      const { driver, url } = await openPostgresDriver({ poolSize: 3 });
      expect(vectorStats(driver).pgvector).toMatch(/^\d+\.\d+/);
      const stored = await fill(driver, 3000);
      const query = vectorOf(100_001);
      // The first search starts the build and is answered by the exact scan.
      expect(await search(driver, query, 10)).toEqual(exact(stored, query, 10));
      const name = hnswIndexName('vecs', 'vector', DIMENSIONS);
      await waitFor(() => (vectorStats(driver).hnsw_indexes as Record<string, { state: string }>)[name]?.state === 'ready', { timeoutMs: 60_000 });
      const sql = postgres(url, { max: 1, onnotice: () => undefined });
      try {
        const [index] = await sql`SELECT indexdef FROM pg_indexes WHERE indexname = ${name}`;
        expect(index?.indexdef).toMatch(/USING hnsw/);
      } finally {
        await sql.end();
      }
      for (const seed of [100_002, 100_003, 100_004]) {
        const answer = await search(driver, vectorOf(seed), 10);
        const truth = exact(stored, vectorOf(seed), 10);
        expect(answer).toHaveLength(10);
        // Approximate: most of the true neighbours, each with its exact distance, nearest first.
        expect(answer.filter((row) => truth.some((t) => t.id === row.id)).length).toBeGreaterThanOrEqual(8);
        for (const row of answer) expect(row.distance).toBeCloseTo(Math.fround(cosineDistanceInt8(int8Of(vectorOf(row.id)), int8Of(vectorOf(seed)))), 5);
        expect(answer.map((row) => row.distance)).toEqual([...answer.map((row) => row.distance)].sort((a, b) => a - b));
      }
      // A `where` few neighbours pass still answers in full (the exact scan steps in).
      expect(await search(driver, query, 10, 'rare')).toEqual(exact(stored, query, 10, 'rare'));
    });
  });
});
