import { expect, it } from 'vitest';
import { exp, ln } from '../../../src/embeddings/builtin/exact-math.ts';

it('agrees with Math.log and Math.exp to a few units in the last place', () => {
  for (let i = 1; i < 20_000; i++) {
    const x = i * 0.137 + i * i * 1e-3;
    expect(Math.abs(ln(x) - Math.log(x))).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(Math.log(x))));
    const y = (i % 1400) / 20 - 35;
    expect(Math.abs(exp(y) - Math.exp(y)) / Math.exp(y)).toBeLessThan(2e-15);
  }
  expect(ln(1)).toBe(0);
  expect(ln(2)).toBe(Math.LN2);
  expect(exp(0)).toBe(1);
});

it('handles the edges as Math does', () => {
  expect(ln(0)).toBe(-Infinity);
  expect(ln(-1)).toBeNaN();
  expect(ln(Number.NaN)).toBeNaN();
  expect(ln(Infinity)).toBe(Infinity);
  expect(ln(1e-300)).toBeCloseTo(Math.log(1e-300), 10);
  expect(exp(Number.NaN)).toBeNaN();
  expect(exp(1000)).toBe(Infinity);
  expect(exp(-1000)).toBe(0);
  expect(exp(-700) / Math.exp(-700)).toBeCloseTo(1, 12);
});
