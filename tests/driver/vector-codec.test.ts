import { describe, expect, it } from 'vitest';
import { cosineDistanceInt8, dequantizeInt8, normalized, quantizeInt8 } from '../../src/driver/vector-codec.ts';

const signed = (bytes: Uint8Array) => Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));

describe('the int8 vector codec', () => {
  it('stores round(x × 127) as a signed byte, clamped to ±127', () => {
    const bytes = quantizeInt8(new Float32Array([1, -1, 0.5, -0.5, 0, 0.004, 2, -3]));
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(signed(bytes)).toEqual([127, -127, 64, -64, 0, 1, 127, -127]);
    expect(quantizeInt8([0.25, -0.25])).toEqual(quantizeInt8(new Float32Array([0.25, -0.25])));
  });

  it('loses no more than rounding on a unit vector', () => {
    const vector = normalized(Array.from({ length: 192 }, (_, i) => Math.sin(i * 1.7)));
    const back = dequantizeInt8(quantizeInt8(vector));
    expect(back).toHaveLength(192);
    for (let i = 0; i < vector.length; i++) expect(Math.abs(back[i]! - vector[i]!)).toBeLessThanOrEqual(0.5 / 127 + 1e-7);
  });

  it('reads a view into a larger buffer from its own offset', () => {
    const buffer = new Uint8Array([0, 127, 0x81, 0]);
    expect(Array.from(dequantizeInt8(buffer.subarray(1, 3)))).toEqual([1, -1]);
  });

  it('normalizes to length 1, huge and tiny components alike, and leaves zero as it is', () => {
    expect(Array.from(normalized([3, 4]))).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(Array.from(normalized([3e300, -4e300]))).toEqual([Math.fround(0.6), Math.fround(-0.8)]);
    const [x, y] = normalized(new Float32Array([3e-40, 4e-40]));
    expect([x, y]).toEqual([expect.closeTo(0.6, 5), expect.closeTo(0.8, 5)]);
    expect(Array.from(normalized([1e-320, 0]))).toEqual([1, 0]);
    expect(Array.from(normalized([0, 0]))).toEqual([0, 0]);
  });

  it('measures cosine distance: 0 alike, 1 orthogonal or zero, 2 opposite', () => {
    const a = new Int8Array([127, 0]);
    expect(cosineDistanceInt8(a, new Int8Array([64, 0]))).toBeCloseTo(0, 10);
    expect(cosineDistanceInt8(a, new Int8Array([0, 127]))).toBeCloseTo(1, 10);
    expect(cosineDistanceInt8(a, new Int8Array([-127, 0]))).toBeCloseTo(2, 10);
    expect(cosineDistanceInt8(a, new Int8Array([0, 0]))).toBe(1);
  });
});
