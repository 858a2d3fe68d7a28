import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as sqliteVec from 'sqlite-vec';
import { summarize } from '../lib/summary.ts';

/**
 * What storing the vectors would cost in SQLite with sqlite-vec, as phase 2 will keep
 * them: a vec0 table, one row per symbol. Measures the file's growth per vector and the
 * latency of a k-nearest query over all of them.
 */
export function sqliteVecFigures(dir: string, vectors: readonly Float32Array[], queries: readonly Float32Array[], dimension: number) {
  const file = join(dir, 'vectors.db');
  const db = new Database(file);
  try {
    sqliteVec.load(db);
    db.exec(`CREATE VIRTUAL TABLE symbol_vectors USING vec0(embedding float[${dimension}])`);
    const empty = statSync(file).size;
    const insert = db.prepare('INSERT INTO symbol_vectors(rowid, embedding) VALUES (?, ?)');
    const started = process.hrtime.bigint();
    db.transaction(() => vectors.forEach((vector, row) => insert.run(BigInt(row + 1), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength))))();
    const insertSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const grown = statSync(file).size - empty;
    const nearest = db.prepare('SELECT rowid, distance FROM symbol_vectors WHERE embedding MATCH ? ORDER BY distance LIMIT 200');
    const latencies: number[] = [];
    const queriesStarted = process.hrtime.bigint();
    for (const query of queries) {
      const at = process.hrtime.bigint();
      nearest.all(Buffer.from(query.buffer, query.byteOffset, query.byteLength));
      latencies.push(Number(process.hrtime.bigint() - at) / 1000);
    }
    const knn = summarize(latencies, process.hrtime.bigint() - queriesStarted);
    return {
      vectors: vectors.length,
      bytes_per_symbol: Math.round(grown / vectors.length),
      insert_per_s: Math.round(vectors.length / insertSeconds),
      knn_200_p50_ms: Number((knn.p50_us / 1000).toFixed(2)),
      knn_200_p99_ms: Number((knn.p99_us / 1000).toFixed(2)),
    };
  } finally {
    db.close();
  }
}
