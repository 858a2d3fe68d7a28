import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseClient, DatabaseTransport } from '../../../src/db/database-client.ts';
import { cosineDistanceInt8 } from '../../../src/driver/vector-codec.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { CONFORMANCE_TARGETS, type ConformanceHandle } from '../../helpers/conformance-targets.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { blobOf, int8Of, seededUnitVector } from '../../helpers/seeded-vectors.ts';

/**
 * `vector_search` through a real driver on a real socket (and PostgreSQL in_process, for
 * coverage of its exact scan), the same bodies on every engine:
 * ranking by cosine distance over int8 vectors, `where`, `columns`, ties, and hostile input.
 */

const DIMENSIONS = 16;
const PROJECTS = ['alpha', 'beta'];

const vectorOf = (seed: number) => seededUnitVector(seed, DIMENSIONS);

interface Stored {
  id: number;
  project: string;
  vector: number[];
}

/** What the search should answer, computed here: the int8 distances, nearest first, ties by id. */
function expected(stored: Stored[], query: number[], limit: number, project?: string) {
  const q = int8Of(query);
  return stored
    .filter((row) => project === undefined || row.project === project)
    .map((row) => ({ id: row.id, distance: cosineDistanceInt8(int8Of(row.vector), q) }))
    .sort((a, b) => a.distance - b.distance || a.id - b.id)
    .slice(0, limit);
}

describe.each(CONFORMANCE_TARGETS)('vector_search on the %s', (_label, start, traits) => {
  let driver: ConformanceHandle;
  let db: DatabaseClient;
  let rpc: DatabaseTransport;
  const stored: Stored[] = [];

  const search = (params: Record<string, unknown>) => rpc.call<{ data: Array<Record<string, unknown>> }>('vector_search', params);
  const refused = (params: unknown) => rejectionOf(rpc.call('vector_search', params as Record<string, unknown>));

  beforeAll(async () => {
    driver = await start();
    db = driver.client();
    rpc = driver.rpc({ poolSize: 1 });
    await db.createTable({
      name: 'vecs',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'project', type: 'text', not_null: true },
        { name: 'label', type: 'text' },
        { name: 'embedding', type: 'blob' },
      ],
    });
    for (let id = 1; id <= 60; id++) stored.push({ id, project: PROJECTS[id % 2]!, vector: vectorOf(id) });
    await db.insertMany(
      'vecs',
      stored.map((row) => ({ id: row.id, project: row.project, label: `v${row.id}`, embedding: blobOf(row.vector) })),
    );
    // A row without a vector has nothing to rank: it is never answered.
    await db.insert('vecs', { id: 100, project: 'alpha', label: 'none', embedding: null });
    await db.createTable({ name: 'plain', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'body', type: 'text' }] });
  });

  it('answers the nearest rows first, with their cosine distance, as an exact scan would', async () => {
    const query = vectorOf(7);
    const { data } = await search({ table: 'vecs', column: 'embedding', vector: query, limit: 10, columns: ['id', 'label'] });
    const want = expected(stored, query, 10);
    expect(data.map((row) => row.id)).toEqual(want.map((row) => row.id));
    expect(data[0]).toMatchObject({ id: 7, label: 'v7' });
    expect(Object.keys(data[0]!).sort()).toEqual(['distance', 'id', 'label']);
    for (const [i, row] of data.entries()) expect(row.distance as number).toBeCloseTo(want[i]!.distance, 5);
    expect(data[0]!.distance as number).toBeCloseTo(0, 5);
  });

  it('filters by where as select does, and a query of any length ranks as its unit vector', async () => {
    const query = vectorOf(11).map((x) => x * 40);
    const { data } = await search({ table: 'vecs', column: 'embedding', vector: query, limit: 5, where: { project: 'beta', id: { lt: 40 } }, columns: ['id', 'project'] });
    const want = expected(stored.filter((row) => row.id < 40), query, 5, 'beta');
    expect(data.map((row) => row.id)).toEqual(want.map((row) => row.id));
    expect(data.every((row) => row.project === 'beta')).toBe(true);
  });

  it('ranks a query of huge or tiny components as its direction', async () => {
    for (const scale of [1e300, 1e-300]) {
      const { data } = await search({ table: 'vecs', column: 'embedding', vector: vectorOf(5).map((x) => x * scale), limit: 3, columns: ['id'] });
      expect(data.map((row) => row.id)).toEqual(expected(stored, vectorOf(5), 3).map((row) => row.id));
    }
  });

  it('answers while a transaction holds the writer: it runs where the other reads run', async () => {
    const { transaction_id } = await rpc.call<{ transaction_id: string }>('begin_transaction');
    try {
      await rpc.call('insert', { table_name: 'vecs', data: { id: 999, project: 'alpha', embedding: blobOf(vectorOf(9)) }, transaction_id });
      const other = driver.rpc({ poolSize: 1 });
      const { data } = await other.call<{ data: Array<{ id: number }> }>('vector_search', { table: 'vecs', column: 'embedding', vector: vectorOf(9), limit: 2, columns: ['id'] });
      // The uncommitted twin of row 9 is not seen.
      expect(data.map((row) => row.id)).toEqual(expected(stored, vectorOf(9), 2).map((row) => row.id));
    } finally {
      await rpc.call('rollback_transaction', { transaction_id });
    }
  });

  it('answers every column without columns (the vector as a blob), and no row without a vector', async () => {
    const { data } = await search({ table: 'vecs', column: 'embedding', vector: vectorOf(3), limit: 1000 });
    expect(data).toHaveLength(stored.length);
    expect(data.some((row) => row.id === 100)).toBe(false);
    expect(data[0]).toMatchObject({ id: 3, project: 'beta', label: 'v3', embedding: blobOf(vectorOf(3)) });
  });

  it('puts the opposite vector at distance 2, and breaks ties by primary key', async () => {
    await db.createTable({
      name: 'ties',
      columns: [
        { name: 'key', type: 'text', primary_key: true },
        { name: 'v', type: 'blob' },
      ],
    });
    const east = [1, 0, 0, 0];
    await db.insertMany('ties', [
      { key: 'c', v: blobOf([1, 0, 0, 0]) },
      { key: 'a', v: blobOf([1, 0, 0, 0]) },
      { key: 'z', v: blobOf([-1, 0, 0, 0]) },
      { key: 'b', v: blobOf([1, 0, 0, 0]) },
      { key: 'm', v: blobOf([0, 1, 0, 0]) },
    ]);
    const { data } = await search({ table: 'ties', column: 'v', vector: east, limit: 5, columns: ['key'] });
    expect(data.map((row) => row.key)).toEqual(['a', 'b', 'c', 'm', 'z']);
    expect(data.map((row) => Math.round((row.distance as number) * 1000) / 1000)).toEqual([0, 0, 0, 1, 2]);
    const two = await search({ table: 'ties', column: 'v', vector: east, limit: 2, columns: ['key'] });
    expect(two.data.map((row) => row.key)).toEqual(['a', 'b']);
  });

  it('fails naming the table and column when a stored vector is not as long as the query, and changes nothing', async () => {
    await db.createTable({ name: 'mixed', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'v', type: 'blob' }] });
    await db.insertMany('mixed', [
      { id: 1, v: blobOf([1, 0, 0]) },
      { id: 2, v: blobOf([0, 1, 0, 0]) },
    ]);
    for (const limit of [1, 10]) {
      const error = await refused({ table: 'mixed', column: 'v', vector: [1, 0, 0], limit });
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.message).toMatch(/table "mixed" column "v": a stored vector is 4 bytes long, where the query vector has 3 dimensions/);
      expect(error.data).toMatchObject({ table: 'mixed', column: 'v' });
    }
    // Only the rows where selects are scanned: the others answer.
    const { data } = await search({ table: 'mixed', column: 'v', vector: [1, 0, 0], limit: 10, where: { id: 1 }, columns: ['id'] });
    expect(data.map((row) => row.id)).toEqual([1]);
    expect((await db.select('mixed', { order_by: ['id'] })).data).toHaveLength(2);
  });

  it.skipIf(traits.driver !== 'sqlite')('fails naming the column when it holds a value that is no blob (SQLite stores any type)', async () => {
    await rpc.call('execute', { sql: "INSERT INTO mixed (id, v) VALUES (3, 'text, not bytes')" });
    const error = await refused({ table: 'mixed', column: 'v', vector: [1, 0, 0], limit: 3, where: { id: { in: [1, 3] } } });
    expect(error).toMatchObject({ code: ErrorCode.VALIDATION_ERROR, data: { table: 'mixed', column: 'v' } });
    expect(error.message).toMatch(/a text value, not a blob/);
  });

  it('refuses a bad vector, naming params.vector', async () => {
    const bad: Array<[unknown, RegExp]> = [
      [[], /must not be empty/],
      [Array.from({ length: 4097 }, () => 0.01), /at most 4096 dimensions/],
      [[0, 0, 0], /zero vector/],
      [[1, 'x', 0], /params\.vector\.1/],
      [[1, null, 0], /params\.vector\.1/],
      ['1,0,0', /params\.vector/],
      [{ 0: 1 }, /params\.vector/],
    ];
    for (const [vector, message] of bad) {
      const error = await refused({ table: 'vecs', column: 'embedding', vector, limit: 3 });
      expect(error.code, JSON.stringify(vector).slice(0, 40)).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.message).toMatch(/params\.vector/);
      expect(error.message).toMatch(message);
    }
  });

  it('refuses a limit outside 1..1000, a huge one included', async () => {
    for (const limit of [0, -1, 1.5, 1001, 1e9, Number.MAX_SAFE_INTEGER, '10', null]) {
      const error = await refused({ table: 'vecs', column: 'embedding', vector: [1, 0], limit });
      expect(error.code, String(limit)).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.message).toMatch(/params\.limit/);
    }
    const missing = await refused({ table: 'vecs', column: 'embedding', vector: [1, 0] });
    expect(missing.message).toMatch(/params\.limit/);
  });

  it('refuses names that are no identifiers (no injection), unknown tables and columns, and non-blob columns', async () => {
    const query = { vector: vectorOf(1), limit: 3 };
    for (const name of ['vecs; DROP TABLE vecs', 'vecs" --', "x'); DELETE FROM vecs; --", '1abc', '']) {
      expect((await refused({ table: name, column: 'embedding', ...query })).message).toMatch(/params\.table/);
      expect((await refused({ table: 'vecs', column: name, ...query })).message).toMatch(/params\.column/);
      expect((await refused({ table: 'vecs', column: 'embedding', ...query, columns: ['id', name] })).message).toMatch(/params\.columns\.1/);
      expect((await refused({ table: 'vecs', column: 'embedding', ...query, where: { [name]: 1 } })).message).toMatch(/params\.where/);
    }
    const unknownTable = await refused({ table: 'nope', column: 'embedding', ...query });
    expect(unknownTable).toMatchObject({ code: ErrorCode.NOT_FOUND, data: { table: 'nope', field: 'table' } });
    const unknownColumn = await refused({ table: 'vecs', column: 'nope', ...query });
    expect(unknownColumn).toMatchObject({ code: ErrorCode.VALIDATION_ERROR, data: { field: 'column', column: 'nope' } });
    const notBlob = await refused({ table: 'plain', column: 'body', ...query });
    expect(notBlob.message).toMatch(/"body" of table "plain" is text, not a blob column/);
    const unknownWhere = await refused({ table: 'vecs', column: 'embedding', ...query, where: { nope: 1 } });
    expect(unknownWhere.message).toMatch(/where\.nope/);
    const clash = await refused({ table: 'vecs', column: 'embedding', ...query, columns: ['distance'] });
    expect(clash.message).toMatch(/params\.columns.*"distance"/);
    const extra = await refused({ table: 'vecs', column: 'embedding', ...query, transaction_id: 'x' });
    expect(extra.message).toMatch(/transaction_id/);
  });

  it('leaves the data intact and the driver answering after all of it', async () => {
    expect((await db.select('vecs', { columns: ['id'] })).data).toHaveLength(stored.length + 1);
    expect(await db.ping()).toMatchObject({ pong: true });
    const { data } = await search({ table: 'vecs', column: 'embedding', vector: vectorOf(42), limit: 1, columns: ['id'] });
    expect(data).toEqual([{ id: 42, distance: expect.any(Number) }]);
  });
});
