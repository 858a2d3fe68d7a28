/**
 * The logarithm and the exponential from + − × ÷ alone, which IEEE 754 rounds the same
 * everywhere. Math.log, Math.log1p, Math.exp and ** differ in their last bit between V8
 * versions (Node 20 and Deno give different results), and the builtin model must come
 * out byte for byte the same in every process that fits or folds in with it.
 */

const LN2 = 0.6931471805599453;
// ln 2 split so that k·LN2_HI is exact for the k used here (Cody and Waite; fdlibm's values).
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const SQRT2 = 1.4142135623730951;

/** ln(x) for x > 0 (−Infinity at 0, NaN below), to about 1e-16 relative. */
export function ln(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : Number.NaN;
  if (x === Infinity) return Infinity;
  // x = m·2^e with m in [√½, √2): scaling by powers of two is exact.
  let m = x;
  let e = 0;
  while (m >= SQRT2) {
    m /= 2;
    e++;
  }
  while (m < SQRT2 / 2) {
    m *= 2;
    e--;
  }
  // ln m = 2·atanh(s), s = (m−1)/(m+1), |s| < 0.172: 2·(s + s³/3 + s⁵/5 + …), 14 terms.
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  for (let k = 1; k <= 27; k += 2) {
    sum += term / k;
    term *= s2;
  }
  return e * LN2 + 2 * sum;
}

/** eˣ, to about 1e-16 relative. */
export function exp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > 709.8) return Infinity;
  if (x < -745.2) return 0;
  // x = k·ln2 + r with |r| ≤ ln2/2; eʳ by its Taylor series (20 terms), then ·2^k exactly.
  const k = Math.round(x / LN2);
  const r = x - k * LN2_HI - k * LN2_LO;
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 20; n++) {
    term *= r / n;
    sum += term;
  }
  let scaled = sum;
  for (let i = 0; i < Math.abs(k); i++) scaled = k > 0 ? scaled * 2 : scaled / 2;
  return scaled;
}
