import { addScaled } from '../vector-math.ts';

/**
 * Sentence vectors from a transformer's token vectors: the mean of the vectors of the real
 * tokens (attention mask 1), so padding added to make a batch rectangular never counts.
 * `hidden` is [batch, sequence, dimension] row-major; `mask` is [batch, sequence].
 */
export function meanPool(hidden: Float32Array, mask: ArrayLike<bigint | number>, batch: number, sequence: number, dimension: number): Float32Array[] {
  const pooled: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Float64Array(dimension);
    let tokens = 0;
    for (let s = 0; s < sequence; s++) {
      if (Number(mask[b * sequence + s]) === 0) continue;
      tokens++;
      addScaled(sum, 0, 1, hidden, (b * sequence + s) * dimension, dimension);
    }
    pooled.push(Float32Array.from(sum, (value) => (tokens === 0 ? 0 : value / tokens)));
  }
  return pooled;
}
