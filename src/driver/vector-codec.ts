/**
 * PLACEHOLDER of the `vectors` branch's file (SEMANTIC-2.md, "Storage"): the vectorizer
 * branch builds on the contract's two functions until it merges that branch, whose file
 * replaces this one. byte i = clamp(round(x_i * 127), -127, 127) as a signed byte.
 */
export function quantizeInt8(vector: Float32Array): Uint8Array {
  const bytes = new Int8Array(vector.length);
  for (let i = 0; i < vector.length; i++) bytes[i] = Math.max(-127, Math.min(127, Math.round(vector[i]! * 127)));
  return new Uint8Array(bytes.buffer);
}

export function dequantizeInt8(bytes: Uint8Array): Float32Array {
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from(signed, (x) => x / 127);
}
