import assert from 'node:assert/strict';
import type { DatabaseClient } from '../../src/db/database-client.ts';
import { quantizeInt8 } from '../../src/driver/vector-codec.ts';

const blob = (vector: number[]) => ({ $blob: btoa(String.fromCharCode(...quantizeInt8(vector))) });

/**
 * sqlite-vec is loaded on every connection a SQLite driver opens: the main thread's
 * short-read connection (a quick read-only `execute`), the writer (inside a transaction)
 * and a reader thread (`vector_search`). Plain node:assert, so vitest and `deno test` run it.
 */
export async function vectorSearchSmokeSpec(db: DatabaseClient): Promise<void> {
  const version = /^v0\.\d+\.\d+/;
  assert.match(String((await db.execute('SELECT vec_version() AS v')).data?.[0]?.v), version);
  await db.transaction(async (tx) => {
    assert.match(String((await tx.execute('SELECT vec_version() AS v')).data?.[0]?.v), version);
  });
  await db.createTable({
    name: 'smoke_vectors',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'project', type: 'text' },
      { name: 'v', type: 'blob' },
    ],
  });
  await db.insertMany('smoke_vectors', [
    { id: 1, project: 'a', v: blob([1, 0, 0]) },
    { id: 2, project: 'a', v: blob([0.6, 0.8, 0]) },
    { id: 3, project: 'b', v: blob([1, 0, 0]) },
    { id: 4, project: 'a', v: blob([0, 0, 1]) },
  ]);
  const { data } = await db.vectorSearch({ table: 'smoke_vectors', column: 'v', vector: [0.9, 0.1, 0], limit: 2, where: { project: 'a' }, columns: ['id'] });
  assert.deepEqual(data.map((row) => row.id), [1, 2]);
  assert.ok(data[0]!.distance >= 0 && data[0]!.distance < data[1]!.distance, JSON.stringify(data));
  // load_extension() stays refused to clients, the driver's own loading notwithstanding.
  await assert.rejects(db.execute("SELECT load_extension('/tmp/x.so')"), /load_extension\(\) is refused/);
}
