/**
 * How a vector is stored (SEMANTIC-2 "Storage"): one signed byte per dimension, byte i =
 * clamp(round(x_i × 127), −127, 127) — sqlite-vec's int8 layout, in an ordinary blob (SQLite)
 * or bytea (PostgreSQL) column. Unit vectors lose nothing to it but rounding (≤ 1/254 per
 * component); −128 is never written, so negation stays exact.
 */

/** The largest vector `vector_search` takes (and the codec is meant for). */
export const MAX_VECTOR_DIMENSION = 4096;

/** The stored form of `vector`: one signed byte per component, as an unsigned view. */
export function quantizeInt8(vector: Float32Array | readonly number[]): Uint8Array {
  const bytes = new Int8Array(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const scaled = vector[i]! * 127;
    // Halves round away from zero (Math.round alone rounds −0.5 up), so −v is stored as −(v).
    bytes[i] = Math.max(-127, Math.min(127, Math.sign(scaled) * Math.round(Math.abs(scaled))));
  }
  return new Uint8Array(bytes.buffer);
}

/** The vector a stored blob holds (components in [−1, 1]). */
export function dequantizeInt8(bytes: Uint8Array): Float32Array {
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vector = new Float32Array(signed.length);
  for (let i = 0; i < signed.length; i++) vector[i] = signed[i]! / 127;
  return vector;
}

/**
 * `vector` scaled to length 1 (cosine ignores length; the int8 form needs components in
 * [−1, 1]). Scaled by its largest component first, so neither 1e300 nor 1e-300 overflows
 * or vanishes when squared. A zero vector stays zero.
 */
export function normalized(vector: ArrayLike<number>): Float32Array {
  let largest = 0;
  for (let i = 0; i < vector.length; i++) largest = Math.max(largest, Math.abs(vector[i]!));
  if (largest === 0) return new Float32Array(vector.length);
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += (vector[i]! / largest) ** 2;
  const scale = largest * Math.sqrt(norm);
  return Float32Array.from({ length: vector.length }, (_, i) => vector[i]! / scale);
}

/**
 * Cosine distance (1 − cos) between two int8 vectors of the same length, as sqlite-vec's
 * `vec_distance_cosine(vec_int8(a), vec_int8(b))` computes it; 1 when either is zero (no
 * direction: orthogonal to everything).
 */
export function cosineDistanceInt8(a: Int8Array, b: Int8Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 1;
  return 1 - dot / (Math.sqrt(normA) * Math.sqrt(normB));
}
