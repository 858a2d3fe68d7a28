import { type Dense, dense, orthonormalize, times, transposeTimes } from './dense-matrix.ts';
import { gramTimes, type SparseRows } from './sparse-rows.ts';
import { seededRandom } from './seeded-random.ts';
import { symmetricEigen } from './symmetric-eigen.ts';

export interface SvdOptions {
  /** Singular vectors wanted. */
  rank: number;
  /** Extra random directions that make the top `rank` ones accurate (Halko et al.: 5–20). */
  oversampling: number;
  /** Power iterations: each sharpens the subspace towards the largest singular values. */
  powerIterations: number;
  seed: number;
}

export interface TruncatedSvd {
  /** Right singular vectors of X (cols × r, row-major), columns by descending singular value. */
  vectors: Dense;
  /** Descending; only the numerically non-zero ones (so r may be below the rank asked for). */
  singularValues: Float64Array;
}

/**
 * The top right singular vectors of a sparse X (documents × terms), by the randomized
 * range finder of Halko, Martinsson and Tropp (2011) applied to XᵀX: a random start
 * (seeded: the same input gives the same result), power iterations, then Rayleigh–Ritz
 * in the small subspace. Work grows with the non-zeros of X and terms × (rank)².
 */
export function randomizedSvd(x: SparseRows, options: SvdOptions): TruncatedSvd {
  const width = Math.max(1, Math.min(options.rank + options.oversampling, x.rows, x.cols));
  const random = seededRandom(options.seed);
  // Rademacher entries: as good as Gaussian here, and no transcendental functions to round differently.
  let y = dense(x.cols, width);
  for (let i = 0; i < y.data.length; i++) y.data[i] = random() < 0.5 ? -1 : 1;
  y = gramTimes(x, y);
  for (let iteration = 0; iteration < options.powerIterations; iteration++) {
    orthonormalize(y, 1);
    y = gramTimes(x, y);
  }
  orthonormalize(y);
  const q = y;
  const { values, vectors } = symmetricEigen(transposeTimes(q, gramTimes(x, q)));
  const largest = Math.max(values[0] ?? 0, 0);
  let kept = 0;
  while (kept < Math.min(options.rank, width) && values[kept]! > largest * 1e-10 && values[kept]! > 0) kept++;
  return {
    vectors: times(q, vectors, kept),
    singularValues: Float64Array.from(values.subarray(0, kept), Math.sqrt),
  };
}
