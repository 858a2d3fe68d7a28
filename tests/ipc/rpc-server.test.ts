import { stat } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/ipc/errors.ts';
import { encodeFrame, FrameDecoder } from '../../src/ipc/frame-codec.ts';
import { RpcServer } from '../../src/ipc/rpc-server.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { RawSocket } from '../helpers/raw-socket.ts';
import { TestRpcServer, watch } from '../helpers/rpc-test-server.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

type Response = Record<string, unknown> & { error?: { code: number; message: string; data?: Record<string, unknown> } };

function header(length: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, length, false);
  return bytes;
}

/** Whether connecting to `path` succeeds right now. */
function canConnect(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('RpcServer: listening', () => {
  it('makes the socket file mode 0600 after listen', async () => {
    const server = await TestRpcServer.start();
    expect((await stat(server.socketPath)).isSocket()).toBe(true);
    expect((await stat(server.socketPath)).mode & 0o777).toBe(0o600);
  });

  it('applies a configured socket mode', async () => {
    const server = await TestRpcServer.start({ socketMode: 0o660 });
    expect((await stat(server.socketPath)).mode & 0o777).toBe(0o660);
  });

  it('fails to listen on a path whose directory does not exist', async () => {
    const dir = await makeTempDir();
    const server = new RpcServer(nodeRuntime, { socketPath: join(dir, 'missing', 'x.sock'), handler: () => null });
    await expect(server.listen()).rejects.toThrow();
  });
});

describe('RpcServer: requests and responses', () => {
  it('answers with the id exactly as sent: strings, 0, negative and fractional numbers', async () => {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    const ids = ['abc', '', 0, -5, 1.5, 2 ** 40];
    for (const id of ids) raw.request(id, 'echo', { id });
    for (const id of ids) {
      const response = await raw.responseTo(id);
      expect(response).toEqual({ jsonrpc: '2.0', id, result: expect.objectContaining({ params: { id } }) });
    }
  });

  it('passes method, params, priority and timeout_ms to the handler', async () => {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    raw.request(1, 'echo', { a: [1, { b: null }] }, { priority: 'low', timeout_ms: 250 });
    const response = await raw.response(1);
    expect(response.result).toEqual({ params: { a: [1, { b: null }] }, connection: expect.any(Number), priority: 'low', timeout_ms: 250 });
    expect(server.seen[0]!.request).toEqual({ jsonrpc: '2.0', id: 1, method: 'echo', params: { a: [1, { b: null }] }, priority: 'low', timeout_ms: 250 });
  });

  it('answers null when the handler returns nothing', async () => {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    raw.request(9, 'void');
    expect(await raw.response(1)).toEqual({ jsonrpc: '2.0', id: 9, result: null });
  });

  it('answers pipelined requests as each handler settles, out of order, matched by id', async () => {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    for (const key of ['a', 'b', 'c']) raw.request(`id-${key}`, 'hold', { key });
    await waitFor(() => server.held.length === 3, { message: 'three requests in flight' });
    expect(new Set(server.held.map((h) => h.connection.id)).size).toBe(1);
    server.heldByKey('c')!.resolve('C');
    expect(await raw.response(1)).toEqual({ jsonrpc: '2.0', id: 'id-c', result: 'C' });
    server.heldByKey('a')!.resolve('A');
    expect(await raw.response(2)).toEqual({ jsonrpc: '2.0', id: 'id-a', result: 'A' });
    server.heldByKey('b')!.resolve('B');
    expect(await raw.response(3)).toEqual({ jsonrpc: '2.0', id: 'id-b', result: 'B' });
  });

  it('scopes ids to their connection: two clients may use the same id at once', async () => {
    const server = await TestRpcServer.start();
    const one = await RawSocket.connect(server.socketPath);
    const two = await RawSocket.connect(server.socketPath);
    one.request(1, 'hold', { key: 'one' });
    two.request(1, 'hold', { key: 'two' });
    await waitFor(() => server.held.length === 2);
    const [first, second] = [server.heldByKey('one')!, server.heldByKey('two')!];
    expect(first.connection.id).not.toBe(second.connection.id);
    second.resolve('for two');
    first.resolve('for one');
    expect(await one.response(1)).toEqual({ jsonrpc: '2.0', id: 1, result: 'for one' });
    expect(await two.response(1)).toEqual({ jsonrpc: '2.0', id: 1, result: 'for two' });
  });

  it('decodes a request that arrives a byte at a time, and several in one write', async () => {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    const frame = encodeFrame({ jsonrpc: '2.0', id: 'slow', method: 'echo', params: { n: 1 } });
    for (const byte of frame) raw.sendBytes(new Uint8Array([byte]));
    expect((await raw.responseTo('slow')).result).toMatchObject({ params: { n: 1 } });
    const batch = [1, 2, 3].map((n) => encodeFrame({ jsonrpc: '2.0', id: n, method: 'echo', params: { n } }));
    const joined = new Uint8Array(batch.reduce((sum, f) => sum + f.length, 0));
    batch.reduce((at, f) => (joined.set(f, at), at + f.length), 0);
    raw.sendBytes(joined);
    for (const n of [1, 2, 3]) expect((await raw.responseTo(n)).result).toMatchObject({ params: { n } });
  });
});

describe('RpcServer: handler errors', () => {
  it('answers an RpcError thrown by the handler with its code, message and data', async () => {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    raw.request(1, 'fail', { code: 'NOT_FOUND', message: 'no such table: t', data: { table: 't' } });
    expect(await raw.response(1)).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: ErrorCode.NOT_FOUND, message: 'no such table: t', data: { table: 't' } },
    });
  });

  it('answers an RpcError rejected by an async handler', async () => {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    raw.request('x', 'fail_async', { code: 'QUEUE_FULL', message: 'full' });
    expect(await raw.response(1)).toEqual({ jsonrpc: '2.0', id: 'x', error: { code: ErrorCode.QUEUE_FULL, message: 'full' } });
  });

  it('answers a plain Error (thrown or rejected) as INTERNAL_ERROR, reports it, and keeps serving', async () => {
    const unexpected: Array<[string, string]> = [];
    const server = await TestRpcServer.start({ onUnexpectedError: (error, request) => unexpected.push([request.method, (error as Error).message]) });
    const raw = await RawSocket.connect(server.socketPath);
    raw.request(1, 'crash');
    raw.request(2, 'crash_async');
    raw.request(3, 'echo');
    expect((await raw.responseTo(1)).error).toEqual({ code: ErrorCode.INTERNAL_ERROR, message: 'kaboom' });
    expect((await raw.responseTo(2)).error).toEqual({ code: ErrorCode.INTERNAL_ERROR, message: 'kaboom later' });
    expect((await raw.responseTo(3)).result).toMatchObject({ connection: expect.any(Number) });
    expect(raw.closed).toBe(false);
    expect(unexpected).toEqual([
      ['crash', 'kaboom'],
      ['crash_async', 'kaboom later'],
    ]);
  });
});

describe('RpcServer: answers that cannot be encoded', () => {
  it('answers a result or an error JSON cannot carry with an error on that request, and keeps serving', async () => {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    raw.request(1, 'unencodable');
    raw.request(2, 'unencodable_error');
    raw.request(3, 'echo');
    expect((await raw.responseTo(1)).error).toEqual({ code: ErrorCode.INTERNAL_ERROR, message: 'unencodable: the result could not be encoded' });
    expect((await raw.responseTo(2)).error).toEqual({ code: ErrorCode.DATABASE_ERROR, message: 'with odd data' });
    expect((await raw.responseTo(3)).result).toMatchObject({ connection: expect.any(Number) });
    expect(raw.closed).toBe(false);
  });

  it('refuses params nested past the limit with VALIDATION_ERROR naming the field, before the handler sees them', async () => {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    // Sent as text: the test's own JSON.stringify would overflow on it.
    raw.sendBody(`{"jsonrpc":"2.0","id":5,"method":"echo","params":{"doc":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`);
    const error = (await raw.responseTo(5)).error as { code: number; message: string; data: { field: string } };
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toMatch(/^params\.doc\[0\]\[0\].*nested deeper than 1000 levels/);
    expect(server.seen).toHaveLength(0);
    raw.request(6, 'echo');
    expect((await raw.responseTo(6)).result).toMatchObject({ connection: expect.any(Number) });
  });
});

describe('RpcServer: malformed requests', () => {
  async function badThenGood(send: (raw: RawSocket) => void): Promise<Response> {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    send(raw);
    raw.request('after', 'echo', { still: 'works' });
    const bad = (await raw.response(1)) as Response;
    // the same connection keeps working
    expect(await raw.response(2)).toMatchObject({ id: 'after', result: { params: { still: 'works' } } });
    expect(raw.closed).toBe(false);
    // and the handler never saw the bad one
    expect(server.seen.map((s) => s.request.id)).toEqual(['after']);
    return bad;
  }

  it('answers invalid JSON with INVALID_REQUEST and id null', async () => {
    const bad = await badThenGood((raw) => raw.sendBody('{"jsonrpc":"2.0","id":1,'));
    expect(bad.id).toBeNull();
    expect(bad.error?.code).toBe(ErrorCode.INVALID_REQUEST);
    expect(bad.error?.message).toMatch(/^invalid JSON/);
  });

  it('answers a body that is not UTF-8 with INVALID_REQUEST', async () => {
    const bad = await badThenGood((raw) => {
      const body = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
      raw.sendBytes(header(body.length));
      raw.sendBytes(body);
    });
    expect(bad).toMatchObject({ id: null, error: { code: ErrorCode.INVALID_REQUEST } });
  });

  it.each([
    ['an array', '[1,2,3]'],
    ['a number', '42'],
    ['null', 'null'],
    ['a string', '"hello"'],
  ])('answers a message that is %s with INVALID_REQUEST', async (_label, body) => {
    const bad = await badThenGood((raw) => raw.sendBody(body));
    expect(bad).toEqual({ jsonrpc: '2.0', id: null, error: { code: ErrorCode.INVALID_REQUEST, message: 'a request must be a JSON object' } });
  });

  it('answers a request without jsonrpc with INVALID_REQUEST under its own id', async () => {
    const bad = await badThenGood((raw) => raw.send({ id: 17, method: 'echo' }));
    expect(bad.id).toBe(17);
    expect(bad.error?.code).toBe(ErrorCode.INVALID_REQUEST);
    expect(bad.error?.data?.field).toBe('jsonrpc');
  });

  it('answers array params with INVALID_REQUEST naming params, under the salvaged id', async () => {
    const bad = await badThenGood((raw) => raw.send({ jsonrpc: '2.0', id: 'p', method: 'echo', params: [1, 2] }));
    expect(bad.id).toBe('p');
    expect(bad.error?.code).toBe(ErrorCode.INVALID_REQUEST);
    expect(bad.error?.data?.field).toBe('params');
    expect(bad.error?.message).toContain('params must be an object');
  });

  it.each([
    ['an unknown priority', { priority: 'urgent' }, 'priority'],
    ['timeout_ms of 0', { timeout_ms: 0 }, 'timeout_ms'],
    ['a fractional timeout_ms', { timeout_ms: 1.5 }, 'timeout_ms'],
    ['an empty method', { method: '' }, 'method'],
    ['a missing method', { method: undefined }, 'method'],
    ['an object id', { id: { nested: 1 } }, 'id'],
  ])('answers a request with %s with INVALID_REQUEST naming the field', async (_label, change, field) => {
    const bad = await badThenGood((raw) => raw.send({ jsonrpc: '2.0', id: 5, method: 'echo', ...change }));
    expect(bad.error?.code).toBe(ErrorCode.INVALID_REQUEST);
    expect(bad.error?.data?.field).toBe(field);
  });

  it('salvages only usable ids: strings and numbers', async () => {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    raw.send({ id: 'keep-me', method: 'echo' });
    raw.send({ id: 0, jsonrpc: '1.0', method: 'echo' });
    raw.send({ id: true, jsonrpc: '2.0', method: 'echo' });
    raw.send({ id: { a: 1 }, jsonrpc: '2.0', method: 'echo' });
    raw.send({ id: [1], jsonrpc: '2.0', method: 'echo' });
    raw.send({ jsonrpc: '2.0', method: 'echo' });
    await raw.response(6);
    expect(raw.responses.map((r) => r.id)).toEqual(['keep-me', 0, null, null, null, null]);
    expect(raw.responses.every((r) => (r as Response).error?.code === ErrorCode.INVALID_REQUEST)).toBe(true);
  });

  // Regression: a zero-length frame at the end of a chunk crashed the decoder.
  it('answers a zero-length frame with INVALID_REQUEST and keeps the connection', async () => {
    const server = await TestRpcServer.start();
    const raw = await RawSocket.connect(server.socketPath);
    raw.sendBytes(header(0));
    const bad = (await raw.response(1)) as Response;
    expect(bad.error?.code).toBe(ErrorCode.INVALID_REQUEST);
    raw.request('after', 'echo');
    expect((await raw.responseTo('after')).result).toBeDefined();
  });
});

describe('RpcServer: oversized frames', () => {
  it('answers a frame over the limit with id null, closes that connection, and serves the others', async () => {
    const server = await TestRpcServer.start({ maxFrameBytes: 1024 });
    const victim = await RawSocket.connect(server.socketPath);
    const bystander = await RawSocket.connect(server.socketPath);
    bystander.request('held', 'hold', { key: 'bystander' });
    await waitFor(() => server.held.length === 1);

    victim.sendBytes(header(0xffffffff));
    const response = (await victim.response(1)) as Response;
    expect(response).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: ErrorCode.INVALID_REQUEST,
        message: expect.stringContaining('exceeds the limit'),
        data: { announced_bytes: 0xffffffff, max_frame_bytes: 1024 },
      },
    });
    await waitFor(() => victim.closed, { message: 'the server to close the offending connection' });
    await waitFor(() => server.server.connectionCount === 1, { message: 'the server to forget the closed connection' });

    // the other connection is unaffected: its in-flight request completes and new ones are served
    server.heldByKey('bystander')!.resolve('done');
    expect(await bystander.responseTo('held')).toMatchObject({ result: 'done' });
    bystander.request('next', 'echo');
    expect((await bystander.responseTo('next')).result).toBeDefined();
    expect(bystander.closed).toBe(false);
    // and new connections are still accepted
    const late = await RawSocket.connect(server.socketPath);
    late.request(1, 'void');
    expect(await late.response(1)).toEqual({ jsonrpc: '2.0', id: 1, result: null });
  });

  it('accepts a frame exactly at the limit', async () => {
    const probe = encodeFrame({ jsonrpc: '2.0', id: 1, method: 'echo', params: { pad: '' } });
    const limit = probe.length - 4 + 100;
    const server = await TestRpcServer.start({ maxFrameBytes: limit });
    const raw = await RawSocket.connect(server.socketPath);
    const exact = encodeFrame({ jsonrpc: '2.0', id: 1, method: 'echo', params: { pad: 'p'.repeat(100) } });
    expect(exact.length - 4).toBe(limit);
    raw.sendBytes(exact);
    expect((await raw.response(1)).result).toMatchObject({ params: { pad: 'p'.repeat(100) } });
  });

  // Regression: after giving up on a stream, bytes that follow must never reach the handler.
  it('does not run requests that arrive after it gave up on the stream', async () => {
    const server = await TestRpcServer.start({ maxFrameBytes: 1024 });
    // A half-open client: it can still send after the server has ended its side.
    const socket: Socket = await new Promise((resolve, reject) => {
      const s = createConnection({ path: server.socketPath, allowHalfOpen: true }, () => resolve(s));
      s.once('error', reject);
    });
    deferCleanup(() => socket.destroy());
    const frames = new FrameDecoder();
    const responses: unknown[] = [];
    let ended = false;
    socket.on('data', (chunk) => responses.push(...frames.push(chunk)));
    socket.on('end', () => (ended = true));
    const closed = new Promise((resolve) => socket.on('close', resolve));

    socket.write(header(5000));
    await waitFor(() => responses.length === 1 && ended, { message: 'the error response and the end of the stream' });
    socket.end(encodeFrame({ jsonrpc: '2.0', id: 2, method: 'echo', params: { ran: 'after the error' } }));
    await closed; // the server has read everything we sent before our end
    expect(server.seen).toEqual([]);
  });
});

describe('RpcServer: connections', () => {
  it('gives each connection its own id and tells the handler when it closes', async () => {
    const server = await TestRpcServer.start();
    const one = await RawSocket.connect(server.socketPath);
    const two = await RawSocket.connect(server.socketPath);
    one.request(1, 'hold', { key: 'one' });
    two.request(1, 'echo');
    await waitFor(() => server.held.length === 1 && two.responses.length === 1);
    await waitFor(() => server.server.connectionCount === 2);
    const connection = server.heldByKey('one')!.connection;
    expect(connection.id).not.toBe((two.responses[0]!.result as { connection: number }).connection);
    expect(connection.closed).toBe(false);
    let closes = 0;
    connection.onClose(() => closes++);

    one.close();
    await waitFor(() => closes === 1, { message: 'the close listener' });
    expect(connection.closed).toBe(true);
    expect(server.server.connectionCount).toBe(1);
    // answering a request of a closed connection is dropped quietly
    server.heldByKey('one')!.resolve('too late');
    two.request(2, 'echo');
    expect((await two.responseTo(2)).result).toBeDefined();
    expect(one.responses).toEqual([]);
  });

  it('stopAccepting refuses new connections while serving open ones; closeConnections drops them', async () => {
    const server = await TestRpcServer.start();
    const open = await RawSocket.connect(server.socketPath);
    open.request(1, 'hold', { key: 'k' });
    await waitFor(() => server.held.length === 1);

    const stopping = server.server.stopAccepting();
    const stopped = watch(stopping);
    await waitFor(async () => !(await canConnect(server.socketPath)), { message: 'new connections to be refused' });
    server.heldByKey('k')!.resolve('still served');
    expect(await open.response(1)).toMatchObject({ id: 1, result: 'still served' });
    open.request(2, 'echo');
    expect((await open.response(2)).result).toBeDefined();

    server.server.closeConnections();
    expect(server.server.connectionCount).toBe(0);
    await waitFor(() => open.closed, { message: 'the open connection to be closed' });
    await waitFor(() => stopped.settled, { message: 'stopAccepting to resolve once no connection is left' });
  });

  it('stopAccepting twice is harmless', async () => {
    const server = await TestRpcServer.start();
    await server.server.stopAccepting();
    await server.server.stopAccepting();
    expect(await canConnect(server.socketPath)).toBe(false);
  });

  // Regression: at HEAD, node.ts resolved SocketServer.close() on Node's 'close' event, which
  // waits for every open connection, so this hung and with it the driver's SIGTERM shutdown.
  it('stopAccepting resolves while a connection is still open', async () => {
    const server = await TestRpcServer.start();
    const open = await RawSocket.connect(server.socketPath);
    open.request(1, 'echo');
    await open.response(1);
    const stopped = watch(server.server.stopAccepting());
    try {
      await waitFor(() => stopped.settled, { message: 'stopAccepting to resolve with a client still connected' });
      open.request(2, 'echo');
      expect((await open.response(2)).result).toBeDefined();
      expect(open.closed).toBe(false);
    } finally {
      server.server.closeConnections();
    }
  });

});

describe('RpcServer: per-connection cap on unanswered requests', () => {
  it('hands the handler no more than the cap, even of frames that came in one chunk, and the rest as answers come', async () => {
    const server = await TestRpcServer.start({ limits: { maxPending: 5 } });
    const raw = await RawSocket.connect(server.socketPath);
    const frames = Array.from({ length: 40 }, (_, id) => encodeFrame({ jsonrpc: '2.0', id, method: 'park', params: { key: id } }));
    const chunk = new Uint8Array(frames.reduce((sum, frame) => sum + frame.length, 0));
    let offset = 0;
    for (const frame of frames) {
      chunk.set(frame, offset);
      offset += frame.length;
    }
    raw.sendBytes(chunk);
    await waitFor(() => server.held.length === 5, { message: 'the first five to reach the handler' });
    // A round trip on another connection: the server has gone back to its sockets since the chunk, and handed nothing more.
    const other = await RawSocket.connect(server.socketPath);
    other.sendBytes(encodeFrame({ jsonrpc: '2.0', id: 1, method: 'echo', params: { after: 'the chunk' } }));
    expect((await other.responseTo(1)).result).toMatchObject({ params: { after: 'the chunk' } });
    other.close();
    expect(server.held.length).toBe(5);
    for (let answered = 0; answered < 40; answered++) {
      const entry = server.held[answered]!;
      entry.resolve(answered);
      await raw.responseTo(answered);
      await waitFor(() => server.held.length === Math.min(40, answered + 6), { message: `request #${answered + 6}` });
      expect(server.held.length - (answered + 1)).toBeLessThanOrEqual(5);
    }
  });
});
