import { expect, it } from 'vitest';
import { meanPool } from '../../../src/embeddings/onnx/mean-pool.ts';

it('averages the token vectors the mask keeps, per text of the batch', () => {
  // 2 texts × 3 tokens × 2 dimensions; the second text has one padding token.
  const hidden = Float32Array.from([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 99, 99]);
  const mask = [1n, 1n, 1n, 1n, 1n, 0n];
  expect(meanPool(hidden, mask, 2, 3, 2).map((vector) => Array.from(vector))).toEqual([
    [3, 4],
    [20, 30],
  ]);
  // A text with no token at all gives the zero vector.
  expect(Array.from(meanPool(hidden, [0, 0, 0, 1, 1, 1], 2, 3, 2)[0]!)).toEqual([0, 0]);
});
