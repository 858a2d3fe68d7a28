/** Byte arrays one after the other, in one array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

/** The first `chars` hex digits of the SHA-256 of some bytes: what a model id says of the files behind it. */
export async function fingerprint(parts: readonly Uint8Array[], chars = 16): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', concatBytes(parts)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('').slice(0, chars);
}
