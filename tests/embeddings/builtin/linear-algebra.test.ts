import { expect, it } from 'vitest';
import { dense, orthonormalize, times, transposeTimes } from '../../../src/embeddings/builtin/dense-matrix.ts';
import { randomizedSvd } from '../../../src/embeddings/builtin/randomized-svd.ts';
import { seededRandom } from '../../../src/embeddings/builtin/seeded-random.ts';
import type { SparseRows } from '../../../src/embeddings/builtin/sparse-rows.ts';
import { gramTimes } from '../../../src/embeddings/builtin/sparse-rows.ts';
import { symmetricEigen } from '../../../src/embeddings/builtin/symmetric-eigen.ts';

const maxAbs = (values: ArrayLike<number>) => Array.from(values).reduce((max, value) => Math.max(max, Math.abs(value)), 0);

function randomSymmetric(n: number, seed: number) {
  const random = seededRandom(seed);
  const matrix = dense(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) matrix.data[i * n + j] = matrix.data[j * n + i] = random() - 0.5;
  }
  return matrix;
}

it('the seeded generator repeats itself and spreads over [0, 1)', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  const draws = Array.from({ length: 1000 }, () => a());
  expect(draws).toEqual(Array.from({ length: 1000 }, () => b()));
  expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...draws)).toBeLessThan(1);
  expect(draws.reduce((sum, x) => sum + x, 0) / draws.length).toBeCloseTo(0.5, 1);
  expect(seededRandom(8)()).not.toBe(seededRandom(7)());
});

it.each([1, 2, 7, 40])('finds the eigenpairs of a symmetric %i × %i matrix, largest first', (n) => {
  const matrix = randomSymmetric(n, n);
  const { values, vectors } = symmetricEigen(matrix);
  const av = times(matrix, vectors);
  const residual = av.data.map((value, index) => value - vectors.data[index]! * values[index % n]!);
  expect(maxAbs(residual)).toBeLessThan(1e-12);
  const identity = transposeTimes(vectors, vectors);
  expect(maxAbs(identity.data.map((value, index) => value - (index % (n + 1) === 0 ? 1 : 0)))).toBeLessThan(1e-12);
  expect(Array.from(values)).toEqual(Array.from(values).sort((a, b) => b - a));
});

it('orthonormalises the columns of a tall matrix, zeroing a column that depends on the others', () => {
  const random = seededRandom(3);
  const y = dense(500, 6);
  for (let i = 0; i < y.data.length; i++) y.data[i] = random() - 0.5;
  for (let r = 0; r < 500; r++) y.data[r * 6 + 4] = 2 * y.data[r * 6]! - y.data[r * 6 + 2]!;
  orthonormalize(y);
  const gram = transposeTimes(y, y);
  const expected = (i: number, j: number) => (i === j && i !== 4 ? 1 : 0);
  expect(maxAbs(gram.data.map((value, index) => value - expected(Math.floor(index / 6), index % 6)))).toBeLessThan(1e-12);
});

/** A sparse matrix from dense rows. */
function sparse(rows: number[][]): SparseRows {
  const rowStart = [0];
  const colIndex: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    row.forEach((value, col) => {
      if (value !== 0) {
        colIndex.push(col);
        values.push(value);
      }
    });
    rowStart.push(colIndex.length);
  }
  return { rows: rows.length, cols: rows[0]!.length, rowStart: Int32Array.from(rowStart), colIndex: Int32Array.from(colIndex), values: Float64Array.from(values) };
}

it('XᵀX·Y of the sparse rows is the dense product', () => {
  const x = [[1, 0, 2], [0, 3, 0], [4, 0, 0], [0, 0, 0]];
  const y = dense(3, 2, Float64Array.from([1, 2, 3, 4, 5, 6]));
  const product = gramTimes(sparse(x), y);
  // XᵀX = [[17,0,2],[0,9,0],[2,0,4]].
  expect(Array.from(product.data)).toEqual([17 + 10, 34 + 12, 27, 36, 2 + 20, 4 + 24]);
});

it('the randomized SVD finds the leading singular values and vectors of a sparse matrix', () => {
  const random = seededRandom(11);
  const rows = Array.from({ length: 80 }, () => Array.from({ length: 30 }, () => (random() < 0.2 ? random() : 0)));
  const x = sparse(rows);
  const exact = symmetricEigen(gramTimes(x, dense(30, 30, Float64Array.from({ length: 900 }, (_, i) => (i % 31 === 0 ? 1 : 0)))));
  // A flat random spectrum converges slowly: four power iterations bring it within 1e-3.
  const svd = randomizedSvd(x, { rank: 5, oversampling: 10, powerIterations: 4, seed: 1 });
  expect(svd.singularValues).toHaveLength(5);
  svd.singularValues.forEach((sigma, j) => expect(Math.abs(sigma / Math.sqrt(exact.values[j]!) - 1)).toBeLessThan(1e-3));
  // Each singular vector matches the exact eigenvector up to its sign.
  for (let j = 0; j < 5; j++) {
    let dot = 0;
    for (let t = 0; t < 30; t++) dot += svd.vectors.data[t * 5 + j]! * exact.vectors.data[t * 30 + j]!;
    expect(Math.abs(dot)).toBeGreaterThan(0.99);
  }
  // Same seed, same result; the rank is capped by the matrix's.
  expect(randomizedSvd(x, { rank: 5, oversampling: 10, powerIterations: 4, seed: 1 }).vectors.data).toEqual(svd.vectors.data);
  expect(randomizedSvd(sparse([[1, 0], [0, 1], [1, 1]]), { rank: 8, oversampling: 4, powerIterations: 1, seed: 1 }).singularValues).toHaveLength(2);
});
