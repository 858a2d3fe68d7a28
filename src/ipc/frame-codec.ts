import { RpcError } from './errors.ts';

/** Frames are a 4-byte unsigned big-endian length, then that many bytes of UTF-8 JSON. */
export const HEADER_BYTES = 4;
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

const encoder = new TextEncoder();

export function encodeFrame(message: unknown): Uint8Array {
  const body = encoder.encode(JSON.stringify(message));
  const frame = new Uint8Array(HEADER_BYTES + body.length);
  new DataView(frame.buffer).setUint32(0, body.length, false);
  frame.set(body, HEADER_BYTES);
  return frame;
}

/**
 * Incremental decoder: accepts chunks as they arrive (partial frames, several frames in
 * one chunk) and returns whole frame bodies. It never allocates the announced length
 * before the bytes are there, so a hostile header cannot make it reserve memory.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private expected: number | null = null;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Returns the complete frame bodies; throws INVALID_REQUEST on an oversized frame. */
  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Uint8Array[] = [];
    for (;;) {
      if (this.expected === null) {
        if (this.buffered < HEADER_BYTES) break;
        const header = this.take(HEADER_BYTES);
        const length = new DataView(header.buffer, header.byteOffset, HEADER_BYTES).getUint32(0, false);
        if (length > this.maxFrameBytes) {
          this.reset();
          throw new RpcError('INVALID_REQUEST', `frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes} bytes`, {
            announced_bytes: length,
            max_frame_bytes: this.maxFrameBytes,
          });
        }
        this.expected = length;
      }
      if (this.buffered < this.expected) break;
      frames.push(this.take(this.expected));
      this.expected = null;
    }
    return frames;
  }

  /** Bytes received but not yet returned as a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private reset(): void {
    this.chunks = [];
    this.buffered = 0;
    this.expected = null;
  }

  private take(length: number): Uint8Array {
    if (length === 0) return new Uint8Array(0);
    const first = this.chunks[0]!;
    if (first.length >= length) {
      const out = first.subarray(0, length);
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
      this.buffered -= length;
      return out;
    }
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.chunks[0]!;
      const needed = length - filled;
      if (chunk.length <= needed) {
        out.set(chunk, filled);
        filled += chunk.length;
        this.chunks.shift();
      } else {
        out.set(chunk.subarray(0, needed), filled);
        this.chunks[0] = chunk.subarray(needed);
        filled += needed;
      }
    }
    this.buffered -= length;
    return out;
  }
}
