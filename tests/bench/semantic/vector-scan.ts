import type { Scored } from '../../../src/embeddings/hybrid-ranking.ts';

/**
 * Exact nearest neighbours by dot product over unit vectors, in process: the fallback
 * phase 2 uses where no vector index exists (PostgreSQL without pgvector).
 */
export class VectorScan {
  private readonly matrix: Float32Array;

  constructor(
    vectors: readonly Float32Array[],
    private readonly dimension: number,
  ) {
    this.matrix = new Float32Array(vectors.length * dimension);
    vectors.forEach((vector, row) => this.matrix.set(vector, row * dimension));
  }

  get size(): number {
    return this.matrix.length / this.dimension;
  }

  /** Rows by descending similarity to `query`, at most `limit`; a zero query finds nothing. */
  nearest(query: Float32Array, limit: number): Array<Scored<number>> {
    if (!query.some((value) => value !== 0)) return [];
    const k = this.dimension;
    const rows = this.size;
    const scores = new Float32Array(rows);
    for (let row = 0; row < rows; row++) {
      let dot = 0;
      const off = row * k;
      for (let j = 0; j < k; j++) dot += this.matrix[off + j]! * query[j]!;
      scores[row] = dot;
    }
    const top: number[] = [];
    // Partial selection: keep the best `limit` in a sorted array (limit is small).
    for (let row = 0; row < rows; row++) {
      const score = scores[row]!;
      if (score <= 0) continue;
      if (top.length === limit && score <= scores[top[limit - 1]!]!) continue;
      let at = top.length;
      while (at > 0 && scores[top[at - 1]!]! < score) at--;
      top.splice(at, 0, row);
      if (top.length > limit) top.pop();
    }
    return top.map((row) => ({ id: row, score: scores[row]! }));
  }
}
