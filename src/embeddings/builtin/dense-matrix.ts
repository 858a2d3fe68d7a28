import { addScaled } from '../vector-math.ts';

/**
 * Dense matrices for the builtin model's SVD: row-major Float64Arrays with their shape.
 * Only what the randomized SVD needs: orthonormalising the columns of a tall matrix,
 * AᵀB and A·B for a tall A and a small B.
 */
export interface Dense {
  rows: number;
  cols: number;
  /** Row-major: element (i, j) at i·cols + j. */
  data: Float64Array;
}

export const dense = (rows: number, cols: number, data = new Float64Array(rows * cols)): Dense => ({ rows, cols, data });

/** AᵀB for two tall matrices with the same rows: a small cols(A) × cols(B) matrix. */
export function transposeTimes(a: Dense, b: Dense): Dense {
  const out = dense(a.cols, b.cols);
  const o = out.data;
  const ad = a.data;
  const bd = b.data;
  const ac = a.cols;
  const bc = b.cols;
  for (let r = 0; r < a.rows; r++) {
    const aOff = r * ac;
    const bOff = r * bc;
    for (let i = 0; i < ac; i++) {
      const x = ad[aOff + i]!;
      if (x === 0) continue;
      addScaled(o, i * bc, x, bd, bOff, bc);
    }
  }
  return out;
}

/** AᵀA, computing one triangle only. */
function gram(a: Dense): Dense {
  const n = a.cols;
  const out = dense(n, n);
  const o = out.data;
  const ad = a.data;
  for (let r = 0; r < a.rows; r++) {
    const off = r * n;
    for (let i = 0; i < n; i++) {
      const x = ad[off + i]!;
      if (x === 0) continue;
      addScaled(o, i * n + i, x, ad, off + i, n - i);
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) o[i * n + j] = o[j * n + i]!;
  return out;
}

/** A·B for a tall A and a small B (cols(A) = rows(B)), keeping the first `take` columns of B. */
export function times(a: Dense, b: Dense, take = b.cols): Dense {
  const out = dense(a.rows, take);
  const o = out.data;
  const ad = a.data;
  const bd = b.data;
  const ac = a.cols;
  const bc = b.cols;
  for (let r = 0; r < a.rows; r++) {
    const aOff = r * ac;
    const oOff = r * take;
    for (let i = 0; i < ac; i++) {
      const x = ad[aOff + i]!;
      if (x === 0) continue;
      addScaled(o, oOff, x, bd, i * bc, take);
    }
  }
  return out;
}

/**
 * The lower-triangular L with G = L·Lᵀ, for the Gram matrix G of a tall matrix's columns.
 * A column that is (numerically) a combination of the ones before it is dead: its
 * diagonal is infinite, so the solve below turns it into zeros instead of noise.
 */
function cholesky(g: Dense): Float64Array {
  const n = g.rows;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const jOff = j * n;
    for (let i = j; i < n; i++) {
      const iOff = i * n;
      let sum = g.data[iOff + j]!;
      for (let k = 0; k < j; k++) sum -= l[iOff + k]! * l[jOff + k]!;
      if (i === j) l[jOff + j] = sum > 1e-13 * g.data[jOff + j]! && sum > 0 ? Math.sqrt(sum) : Infinity;
      else l[iOff + j] = sum / l[jOff + j]!;
    }
  }
  return l;
}

/** Y·L⁻ᵀ in place, row by row (forward substitution): the Q of Y = Q·Lᵀ. */
function solveRows(y: Dense, l: Float64Array): void {
  const n = y.cols;
  const data = y.data;
  for (let r = 0; r < y.rows; r++) {
    const off = r * n;
    for (let j = 0; j < n; j++) {
      let sum = data[off + j]!;
      const lOff = j * n;
      for (let k = 0; k < j; k++) sum -= l[lOff + k]! * data[off + k]!;
      data[off + j] = sum / l[lOff + j]!;
    }
  }
}

/**
 * Orthonormalise the columns of a tall matrix in place by Cholesky QR. One pass loses
 * some orthogonality on an ill-conditioned matrix (fine between power iterations); two
 * passes restore it.
 */
export function orthonormalize(y: Dense, passes = 2): void {
  for (let pass = 0; pass < passes; pass++) solveRows(y, cholesky(gram(y)));
}
