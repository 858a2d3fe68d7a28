import { normalized, quantizeInt8 } from '../../src/driver/vector-codec.ts';

/** A deterministic unit vector per seed (a small LCG: the same on every run and engine). */
export function seededUnitVector(seed: number, dimensions: number): number[] {
  let state = seed * 2654435761 + 1;
  const raw = Array.from({ length: dimensions }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 30 - 1;
  });
  return Array.from(normalized(raw));
}

/** A vector as the driver stores it: int8 components. */
export const int8Of = (vector: number[]) => new Int8Array(quantizeInt8(normalized(vector)).buffer);

/** A vector as a blob value on the wire. */
export const blobOf = (vector: number[]) => ({ $blob: Buffer.from(quantizeInt8(normalized(vector))).toString('base64') });
