import { addScaled } from '../vector-math.ts';
import { type Dense, dense } from './dense-matrix.ts';

/**
 * A sparse matrix by rows (CSR): the builtin model's documents × terms TF-IDF matrix X.
 * Row i's entries are cols/values[rowStart[i] … rowStart[i+1]).
 */
export interface SparseRows {
  rows: number;
  cols: number;
  rowStart: Int32Array;
  colIndex: Int32Array;
  values: Float64Array;
}

/**
 * XᵀX·Y (cols × cols times cols × k) without forming XᵀX: for each row x of X, its
 * projection b = x·Y is scattered back as xᵀ·b. Two passes over the non-zeros, k wide.
 */
export function gramTimes(x: SparseRows, y: Dense): Dense {
  const k = y.cols;
  const out = dense(x.cols, k);
  const o = out.data;
  const yd = y.data;
  const { rowStart, colIndex, values } = x;
  const b = new Float64Array(k);
  for (let row = 0; row < x.rows; row++) {
    const start = rowStart[row]!;
    const end = rowStart[row + 1]!;
    if (start === end) continue;
    b.fill(0);
    for (let p = start; p < end; p++) addScaled(b, 0, values[p]!, yd, colIndex[p]! * k, k);
    for (let p = start; p < end; p++) addScaled(o, colIndex[p]! * k, values[p]!, b, 0, k);
  }
  return out;
}
