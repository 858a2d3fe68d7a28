/** The two vector operations every embedding path needs. */

/** A vector scaled to unit length in place (returned for chaining); the zero vector stays zero. */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! * scale;
  return vector;
}

/** out[at … at+count) += x · source[from … from+count): the inner loop of every sum of vectors here. */
export function addScaled(out: Float64Array, at: number, x: number, source: ArrayLike<number>, from: number, count: number): void {
  for (let j = 0; j < count; j++) out[at + j] = out[at + j]! + x * source[from + j]!;
}
