import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError } from '../../src/ipc/errors.ts';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameDecoder, HEADER_BYTES } from '../../src/ipc/frame-codec.ts';
import { thrownBy } from '../helpers/rpc-error.ts';

const text = new TextDecoder();

function header(length: number): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  new DataView(bytes.buffer).setUint32(0, length, false);
  return bytes;
}

function frameOf(body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(HEADER_BYTES + body.length);
  frame.set(header(body.length), 0);
  frame.set(body, HEADER_BYTES);
  return frame;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const parse = (body: Uint8Array): unknown => JSON.parse(text.decode(body));

describe('encodeFrame', () => {
  it('writes a 4-byte big-endian length then the UTF-8 JSON body', () => {
    const message = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const frame = encodeFrame(message);
    const body = new TextEncoder().encode(JSON.stringify(message));
    expect(HEADER_BYTES).toBe(4);
    expect(new DataView(frame.buffer, frame.byteOffset).getUint32(0, false)).toBe(body.length);
    expect([...frame.subarray(0, 4)]).toEqual([0, 0, 0, body.length]);
    expect(text.decode(frame.subarray(4))).toBe(JSON.stringify(message));
  });

  it('counts the length in bytes, not characters, for non-ASCII text', () => {
    const message = { s: 'ÿ€😀' };
    const frame = encodeFrame(message);
    const announced = new DataView(frame.buffer, frame.byteOffset).getUint32(0, false);
    expect(announced).toBe(frame.length - 4);
    expect(announced).toBeGreaterThan(JSON.stringify(message).length);
  });

  it('uses big-endian order for lengths above 255', () => {
    const frame = encodeFrame('x'.repeat(0x1234 - 2)); // JSON adds the two quotes
    expect([...frame.subarray(0, 4)]).toEqual([0x00, 0x00, 0x12, 0x34]);
  });
});

describe('FrameDecoder', () => {
  it('defaults to a 16 MiB limit', () => {
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(16 * 1024 * 1024);
    const decoder = new FrameDecoder();
    expect(decoder.push(header(DEFAULT_MAX_FRAME_BYTES))).toEqual([]);
    expect(() => new FrameDecoder().push(header(DEFAULT_MAX_FRAME_BYTES + 1))).toThrow(RpcError);
  });

  it('round-trips messages through encodeFrame', () => {
    const messages = [
      { jsonrpc: '2.0', id: 0, method: 'select', params: { table_name: 't', where: { a: { in: [1, 2] } } } },
      { jsonrpc: '2.0', id: 'abc', result: { data: [{ name: 'Zoë', emoji: '🦀' }] } },
      [1, 'two', null, true],
      'just a string',
    ];
    const decoder = new FrameDecoder();
    for (const message of messages) {
      const frames = decoder.push(encodeFrame(message));
      expect(frames).toHaveLength(1);
      expect(parse(frames[0]!)).toEqual(message);
    }
    expect(decoder.pendingBytes).toBe(0);
  });

  it('assembles a frame that arrives one byte at a time', () => {
    const message = { jsonrpc: '2.0', id: 7, method: 'insert', params: { data: { text: 'héllo wörld' } } };
    const frame = encodeFrame(message);
    const decoder = new FrameDecoder();
    for (let i = 0; i < frame.length - 1; i++) {
      expect(decoder.push(frame.subarray(i, i + 1))).toEqual([]);
      const received = i + 1;
      // once the 4 header bytes are in, they are consumed and only body bytes wait
      expect(decoder.pendingBytes).toBe(received < HEADER_BYTES ? received : received - HEADER_BYTES);
    }
    const frames = decoder.push(frame.subarray(frame.length - 1));
    expect(frames).toHaveLength(1);
    expect(parse(frames[0]!)).toEqual(message);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('handles a header split across chunks', () => {
    const message = { id: 1, method: 'ping' };
    const frame = encodeFrame(message);
    const decoder = new FrameDecoder();
    expect(decoder.push(frame.subarray(0, 1))).toEqual([]);
    expect(decoder.push(frame.subarray(1, 3))).toEqual([]);
    expect(decoder.pendingBytes).toBe(3);
    const frames = decoder.push(frame.subarray(3));
    expect(frames.map(parse)).toEqual([message]);
  });

  it('handles a body split across chunks after a complete header', () => {
    const message = { id: 2, method: 'list_tables', params: { pad: 'x'.repeat(100) } };
    const frame = encodeFrame(message);
    const decoder = new FrameDecoder();
    expect(decoder.push(frame.subarray(0, 4))).toEqual([]);
    expect(decoder.pendingBytes).toBe(0);
    expect(decoder.push(frame.subarray(4, 50))).toEqual([]);
    expect(decoder.pendingBytes).toBe(46);
    expect(decoder.push(frame.subarray(50)).map(parse)).toEqual([message]);
  });

  it('returns every frame of a chunk that holds several, in order', () => {
    const messages = Array.from({ length: 5 }, (_, i) => ({ id: i, method: `m${i}` }));
    const decoder = new FrameDecoder();
    const frames = decoder.push(concat(...messages.map((m) => encodeFrame(m))));
    expect(frames.map(parse)).toEqual(messages);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('returns the complete frames of a chunk and keeps the partial rest', () => {
    const a = encodeFrame({ id: 'a' });
    const b = encodeFrame({ id: 'b' });
    const c = encodeFrame({ id: 'c' });
    const decoder = new FrameDecoder();
    // a, b and the header plus two bytes of c
    const frames = decoder.push(concat(a, b, c.subarray(0, 6)));
    expect(frames.map(parse)).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(decoder.pendingBytes).toBe(2);
    expect(decoder.push(c.subarray(6)).map(parse)).toEqual([{ id: 'c' }]);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('reassembles frames whose boundaries straddle chunk boundaries at every offset', () => {
    const messages = [{ id: 1, p: 'αβγ' }, { id: 2 }, { id: 3, p: 'x'.repeat(40) }];
    const stream = concat(...messages.map((m) => encodeFrame(m)));
    for (let split = 1; split < stream.length; split++) {
      const decoder = new FrameDecoder();
      const frames = [...decoder.push(stream.subarray(0, split)), ...decoder.push(stream.subarray(split))];
      expect(frames.map(parse)).toEqual(messages);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it('ignores empty chunks', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(new Uint8Array(0))).toEqual([]);
    expect(decoder.pendingBytes).toBe(0);
    const frame = encodeFrame({ id: 1 });
    decoder.push(frame.subarray(0, 5));
    expect(decoder.push(new Uint8Array(0))).toEqual([]);
    expect(decoder.pendingBytes).toBe(1);
    expect(decoder.push(frame.subarray(5)).map(parse)).toEqual([{ id: 1 }]);
  });

  it('accepts a frame exactly at the maximum size', () => {
    const max = 64;
    const body = new TextEncoder().encode(JSON.stringify('y'.repeat(max - 2)));
    expect(body.length).toBe(max);
    const decoder = new FrameDecoder(max);
    const frames = decoder.push(frameOf(body));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.length).toBe(max);
    expect(parse(frames[0]!)).toBe('y'.repeat(max - 2));
  });

  it('rejects a frame one byte over the maximum', () => {
    const max = 64;
    const error = thrownBy(() => new FrameDecoder(max).push(frameOf(new Uint8Array(max + 1).fill(0x20))));
    expect(error.code).toBe(ErrorCode.INVALID_REQUEST);
    expect(error.data).toEqual({ announced_bytes: max + 1, max_frame_bytes: max });
  });

  it('rejects a 4 GiB header from the header alone, before any body byte arrives', () => {
    const decoder = new FrameDecoder();
    const error = thrownBy(() => decoder.push(new Uint8Array([0xff, 0xff, 0xff, 0xff])));
    expect(error.is('INVALID_REQUEST')).toBe(true);
    expect(error.data?.announced_bytes).toBe(0xffffffff);
    expect(error.data?.max_frame_bytes).toBe(DEFAULT_MAX_FRAME_BYTES);
    expect(error.message).toContain(String(0xffffffff));
    expect(decoder.pendingBytes).toBe(0);
  });

  it('rejects an oversized header even when it arrives split across chunks', () => {
    const decoder = new FrameDecoder(100);
    expect(decoder.push(new Uint8Array([0x00, 0x00]))).toEqual([]);
    const error = thrownBy(() => decoder.push(new Uint8Array([0x01, 0x00])));
    expect(error.data?.announced_bytes).toBe(256);
  });

  it('drops the buffered bytes after an oversized header and starts over on the next chunk', () => {
    const decoder = new FrameDecoder(100);
    thrownBy(() => decoder.push(concat(header(1000), new Uint8Array(50))));
    expect(decoder.pendingBytes).toBe(0);
    expect(decoder.push(encodeFrame({ id: 'fresh' })).map(parse)).toEqual([{ id: 'fresh' }]);
  });

  it('returns frames decoded before an oversized header in the same chunk only by throwing', () => {
    // The good frame ahead of the bad header is lost with the exception: the stream is dead.
    const decoder = new FrameDecoder(100);
    const error = thrownBy(() => decoder.push(concat(encodeFrame({ id: 1 }), header(101))));
    expect(error.data?.announced_bytes).toBe(101);
  });

  it('pendingBytes counts the bytes received and not yet returned', () => {
    const decoder = new FrameDecoder();
    const frame = encodeFrame({ id: 1, method: 'ping' });
    expect(decoder.pendingBytes).toBe(0);
    decoder.push(frame.subarray(0, 2));
    expect(decoder.pendingBytes).toBe(2);
    decoder.push(frame.subarray(2, 10));
    // the header has been consumed; 6 body bytes wait
    expect(decoder.pendingBytes).toBe(6);
    decoder.push(frame.subarray(10));
    expect(decoder.pendingBytes).toBe(0);
  });

  it('returns a zero-length frame followed by more data', () => {
    const decoder = new FrameDecoder();
    const frames = decoder.push(concat(header(0), encodeFrame({ id: 1 })));
    expect(frames).toHaveLength(2);
    expect(frames[0]!.length).toBe(0);
    expect(parse(frames[1]!)).toEqual({ id: 1 });
  });

  it('returns a zero-length frame between two frames', () => {
    const decoder = new FrameDecoder();
    const frames = decoder.push(concat(encodeFrame({ id: 1 }), header(0), encodeFrame({ id: 2 })));
    expect(frames.map((f) => (f.length === 0 ? null : parse(f)))).toEqual([{ id: 1 }, null, { id: 2 }]);
  });

  // Regression: when the header consumed every buffered chunk, take(0) read chunks[0] (undefined).
  it('returns a zero-length frame that ends the chunk', () => {
    const decoder = new FrameDecoder();
    const frames = decoder.push(header(0));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.length).toBe(0);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('returns a zero-length frame that ends a chunk after another frame', () => {
    const decoder = new FrameDecoder();
    const frames = decoder.push(concat(encodeFrame({ id: 1 }), header(0)));
    expect(frames.map((f) => f.length)).toEqual([expect.any(Number), 0]);
  });
});
