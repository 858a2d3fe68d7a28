import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError } from '../../src/ipc/errors.ts';
import { encodeFrame, FrameDecoder } from '../../src/ipc/frame-codec.ts';
import { RpcClient, type RpcClientOptions } from '../../src/ipc/rpc-client.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { Runtime, SocketConnection } from '../../src/runtime/types.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { observedRuntime, TestRpcServer, watch } from '../helpers/rpc-test-server.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

const THIS_FILE = 'rpc-client.test.ts';

function client(socketPath: string, options: Omit<RpcClientOptions, 'socketPath'> = {}, runtime: Runtime = nodeRuntime): RpcClient {
  const rpc = new RpcClient(runtime, { socketPath, ...options });
  deferCleanup(() => rpc.close());
  return rpc;
}

async function rejection(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RpcError);
  return error as RpcError;
}

type Echo = { params?: Record<string, unknown>; connection: number; priority?: string; timeout_ms?: number };

/**
 * A hand-scripted server on a real socket: `reply` decides what bytes answer each request,
 * for responses RpcServer never sends (id-less results, garbage, unknown codes).
 */
async function scriptedServer(reply: (request: { id: number; method: string }, socket: SocketConnection) => void) {
  const socketPath = join(await makeTempDir('ca-rpc-'), 'scripted.sock');
  const sockets: SocketConnection[] = [];
  const server = await nodeRuntime.listenUnix(socketPath, (socket) => {
    sockets.push(socket);
    const frames = new FrameDecoder();
    socket.onData((chunk) => {
      for (const body of frames.push(chunk)) reply(JSON.parse(new TextDecoder().decode(body)), socket);
    });
  });
  deferCleanup(async () => {
    for (const socket of sockets) socket.destroy();
    await server.close();
  });
  return { socketPath, sockets };
}

function rawFrame(body: string): Uint8Array {
  const bytes = new TextEncoder().encode(body);
  const frame = new Uint8Array(4 + bytes.length);
  new DataView(frame.buffer).setUint32(0, bytes.length, false);
  frame.set(bytes, 4);
  return frame;
}

describe('RpcClient: calls', () => {
  it('sends params and returns the result', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath);
    expect(rpc.socketPath).toBe(server.socketPath);
    const result = await rpc.call<Echo>('echo', { table_name: 't', where: { id: { in: [1, 2] } } });
    expect(result.params).toEqual({ table_name: 't', where: { id: { in: [1, 2] } } });
    expect(await rpc.call('void')).toBeNull();
  });

  it('omits params when none are given', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath);
    await rpc.call('echo');
    expect('params' in server.seen[0]!.request).toBe(false);
  });

  it('puts priority and timeout_ms on the wire', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { timeoutMs: 4000 });
    const explicit = await rpc.call<Echo>('echo', {}, { priority: 'critical', timeoutMs: 5000 });
    expect(explicit.priority).toBe('critical');
    expect(Number.isInteger(explicit.timeout_ms)).toBe(true);
    expect(explicit.timeout_ms).toBeGreaterThan(0);
    expect(explicit.timeout_ms).toBeLessThanOrEqual(5000);
    const defaults = await rpc.call<Echo>('echo');
    expect(defaults.priority).toBeUndefined();
    expect(defaults.timeout_ms).toBeGreaterThan(0);
    expect(defaults.timeout_ms).toBeLessThanOrEqual(4000);
    expect(server.seen[0]!.request).toMatchObject({ jsonrpc: '2.0', method: 'echo', priority: 'critical', timeout_ms: explicit.timeout_ms });
  });

  it('numbers requests per connection with increasing numeric ids', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1 });
    for (let i = 0; i < 3; i++) await rpc.call('echo');
    const ids = server.seen.map((s) => s.request.id);
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect([...ids].sort((a, b) => Number(a) - Number(b))).toEqual(ids);
  });

  it('rejects with the RpcError the server answered, code, message and data intact', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath);
    const error = await rejection(rpc.call('fail', { code: 'VALIDATION_ERROR', message: 'params.age: bad', data: { field: 'params.age' } }));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toBe('params.age: bad');
    expect(error.data).toEqual({ field: 'params.age' });
  });

  it('rejects with INTERNAL_ERROR when the handler throws a plain Error', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath);
    const error = await rejection(rpc.call('crash'));
    expect(error.is('INTERNAL_ERROR')).toBe(true);
    expect(error.message).toBe('kaboom');
  });

  it('points the stack of a server error at the caller', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath);
    const error = await rejection(rpc.call('fail', { code: 'NOT_FOUND', message: 'gone' }));
    expect(error.stack).toContain(THIS_FILE);
    expect(error.stack?.split('\n')[0]).toBe('RpcError: gone');
  });
});

describe('RpcClient: pipelining', () => {
  it('keeps many calls in flight on one connection and matches every answer by id', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1 });
    const count = 50;
    const calls = Array.from({ length: count }, (_, i) => rpc.call('hold', { key: i }));
    await waitFor(() => server.held.length === count, { message: `${count} calls in flight at once` });
    expect(new Set(server.held.map((h) => h.connection.id)).size).toBe(1);
    // answer in a scrambled order
    const order = Array.from({ length: count }, (_, i) => (i * 17) % count);
    expect(new Set(order).size).toBe(count);
    for (const key of order) server.heldByKey(key)!.resolve({ answer: key });
    expect(await Promise.all(calls)).toEqual(Array.from({ length: count }, (_, i) => ({ answer: i })));
  });

  it('resolves a call answered out of order while earlier ones stay pending', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1 });
    const first = rpc.call('hold', { key: 'first' });
    const second = rpc.call('hold', { key: 'second' });
    const third = rpc.call('hold', { key: 'third' });
    const states = [watch(first), watch(second), watch(third)];
    await waitFor(() => server.held.length === 3);
    server.heldByKey('third')!.resolve(3);
    expect(await third).toBe(3);
    expect(states.map((s) => s.settled)).toEqual([false, false, true]);
    server.heldByKey('first')!.reject(new RpcError('DATABASE_ERROR', 'first failed'));
    expect((await rejection(first)).message).toBe('first failed');
    expect(states[1]!.settled).toBe(false);
    server.heldByKey('second')!.resolve(2);
    expect(await second).toBe(2);
  });
});

describe('RpcClient: timeouts', () => {
  it('rejects with TIMEOUT, ignores the late answer, and keeps the connection usable', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1, retryableMethods: new Set(['hold']) });
    const error = await rejection(rpc.call('hold', { key: 'slow' }, { timeoutMs: 50 }));
    expect(error.is('TIMEOUT')).toBe(true);
    expect(error.message).toContain('hold: no answer within');
    expect(error.stack).toContain(THIS_FILE);
    await waitFor(() => server.held.length === 1, { message: 'the timed-out request to reach the server' });

    // the late answer arrives before the next response on the same connection, and is dropped
    server.heldByKey('slow')!.resolve({ late: true });
    const next = await rpc.call<Echo>('echo', { next: true });
    expect(next.params).toEqual({ next: true });
    expect(next.connection).toBe(server.held[0]!.connection.id);
    expect(server.server.connectionCount).toBe(1);
    // a TIMEOUT is not a lost connection: even a retryable method was not sent again
    expect(server.held).toHaveLength(1);
  });

  it('uses the client default timeout when the call sets none', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { timeoutMs: 50 });
    expect((await rejection(rpc.call('hold'))).is('TIMEOUT')).toBe(true);
  });
});

describe('RpcClient: pool', () => {
  it('opens another connection when the open ones are busy, up to poolSize', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 3 });
    const calls: Array<Promise<unknown>> = [];
    for (let i = 1; i <= 3; i++) {
      calls.push(rpc.call('hold', { key: i }));
      await waitFor(() => server.held.length === i);
    }
    const connections = server.held.map((h) => h.connection.id);
    expect(new Set(connections).size).toBe(3);
    expect(server.server.connectionCount).toBe(3);

    // the pool is full: a fourth call shares one of the three
    calls.push(rpc.call('hold', { key: 4 }));
    await waitFor(() => server.held.length === 4);
    expect(connections).toContain(server.heldByKey(4)!.connection.id);
    expect(server.server.connectionCount).toBe(3);
    for (const held of server.held) held.resolve(held.request.params?.key);
    expect(await Promise.all(calls)).toEqual([1, 2, 3, 4]);
  });

  it('sends to the least busy connection once the pool is full', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 2 });
    const calls: Array<Promise<unknown>> = [];
    const send = async (key: string) => {
      calls.push(rpc.call('hold', { key }));
      await waitFor(() => server.heldByKey(key), { message: `call ${key} to arrive` });
      return server.heldByKey(key)!.connection.id;
    };
    const a = await send('1'); // opens the first connection
    const b = await send('2'); // the first is busy and the pool has room: opens the second
    expect(b).not.toBe(a);
    expect(await send('3')).toBe(a); // equally busy: the first one
    expect(await send('4')).toBe(b); // the second now has fewer calls in flight
    expect(await send('5')).toBe(a);
    server.heldByKey('1')!.resolve('1');
    server.heldByKey('3')!.resolve('3');
    await Promise.all([calls[0], calls[2]]);
    // a: 1 in flight (5), b: 2 in flight (2, 4)
    expect(await send('6')).toBe(a);
    expect(server.server.connectionCount).toBe(2);
    for (const held of server.held) held.resolve(held.request.params?.key);
    expect(await Promise.all(calls)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('reuses an idle connection instead of opening more', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 4 });
    const seen = new Set<number>();
    for (let i = 0; i < 5; i++) seen.add((await rpc.call<Echo>('echo')).connection);
    expect(seen.size).toBe(1);
    expect(server.server.connectionCount).toBe(1);
  });

  it('treats a poolSize below 1 as 1', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 0 });
    const calls = [rpc.call('hold', { key: 1 }), rpc.call('hold', { key: 2 })];
    await waitFor(() => server.held.length === 2);
    expect(server.heldByKey(1)!.connection.id).toBe(server.heldByKey(2)!.connection.id);
    for (const held of server.held) held.resolve(null);
    await Promise.all(calls);
  });
});

describe('RpcClient: hello', () => {
  it('says hello first on every connection it opens, reconnections included', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1, hello: { client: 'worker-indexer', role: 'owner' }, maxBackoffMs: 20 });
    await rpc.call('echo');
    server.server.closeConnections();
    await waitFor(async () => (await rpc.call<Echo>('echo').catch(() => undefined)) !== undefined, { message: 'a call on a new connection' });
    const connections = [...new Set(server.seen.map((seen) => seen.connection.id))];
    expect(connections.length).toBeGreaterThanOrEqual(2);
    for (const id of connections) {
      const first = server.seen.find((seen) => seen.connection.id === id)!;
      expect(first.request).toMatchObject({ method: 'hello', params: { client: 'worker-indexer', role: 'owner' } });
    }
  });

  it('gives up at once, with the driver\'s reason, when the hello is refused', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1, hello: { client: 'refused' }, timeoutMs: 30_000 });
    const error = await rejection(rpc.call('echo'));
    expect(error.is('VALIDATION_ERROR')).toBe(true);
    expect(server.seen.map((seen) => seen.request.method)).toEqual(['hello']);
  });
});

describe('RpcClient: lost connections', () => {
  it('retries a retryable read whose connection dropped, once a new server listens on the same path', async () => {
    const first = await TestRpcServer.start();
    const observed = observedRuntime();
    const rpc = client(first.socketPath, { poolSize: 1, retryableMethods: new Set(['select']), maxBackoffMs: 50 }, observed.runtime);
    const call = rpc.call('select', { key: 'read' }, { timeoutMs: 20_000 });
    const state = watch(call);
    await waitFor(() => first.held.length === 1, { message: 'the first attempt to reach the server' });
    expect(observed.attempts()).toBe(1);

    await first.stop(); // the connection drops mid-call and nobody listens any more
    await waitFor(() => observed.failures() >= 1, { message: 'the retry to fail to reconnect' });
    expect(state.settled).toBe(false);

    const second = await TestRpcServer.start({ socketPath: first.socketPath });
    await waitFor(() => second.held.length === 1, { message: 'the retried call on the new server' });
    expect(second.held[0]!.request.method).toBe('select');
    expect(second.held[0]!.request.params).toEqual({ key: 'read' });
    second.held[0]!.resolve({ data: ['from the second server'] });
    expect(await call).toEqual({ data: ['from the second server'] });
    expect(observed.attempts()).toBeGreaterThan(observed.failures());
  });

  it('sends a read lost in flight once more, never twice: a request that kills every server is not a poison loop', async () => {
    const server = await TestRpcServer.start();
    // `drop` hangs up on every connection as soon as it arrives, as a driver would by dying.
    const rpc = client(server.socketPath, { poolSize: 1, retryableMethods: new Set(['drop']), timeoutMs: 30_000, maxBackoffMs: 20 });
    const error = await rejection(rpc.call('drop'));
    expect(error.is('CONNECTION_ERROR')).toBe(true);
    expect(error.data).toMatchObject({ in_flight: true });
    expect(server.seen.filter((seen) => seen.request.method === 'drop')).toHaveLength(2);
    // The client itself is fine: the next call goes through.
    expect(await rpc.call('echo', { n: 1 })).toMatchObject({ params: { n: 1 } });
  });

  it('does not retry a retryable read the server answered with CONNECTION_ERROR (its database is down): the caller gets it at once', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1, retryableMethods: new Set(['fail']), timeoutMs: 30_000 });
    const error = await rejection(rpc.call('fail', { code: 'CONNECTION_ERROR', message: 'PostgreSQL unreachable' }));
    expect(error.is('CONNECTION_ERROR')).toBe(true);
    expect(error.message).toBe('PostgreSQL unreachable');
    expect(server.seen.filter((seen) => seen.request.method === 'fail')).toHaveLength(1);
  });

  it('does not retry a write whose connection dropped: CONNECTION_ERROR', async () => {
    const first = await TestRpcServer.start();
    const observed = observedRuntime();
    const rpc = client(first.socketPath, { poolSize: 1, retryableMethods: new Set(['select']) }, observed.runtime);
    const call = rpc.call('insert', { key: 'write' });
    await waitFor(() => first.held.length === 1);
    first.server.closeConnections(); // the server still listens: a retry would get through

    const error = await rejection(call);
    expect(error.is('CONNECTION_ERROR')).toBe(true);
    expect(error.message).toContain(first.socketPath);
    expect(observed.attempts()).toBe(1);
    expect(first.held).toHaveLength(1);
    // the client itself recovers: the next call opens a new connection
    expect((await rpc.call<Echo>('echo')).connection).not.toBe(first.held[0]!.connection.id);
    expect(observed.attempts()).toBe(2);
  });

  it('points the stack of a dropped call at the caller', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath);
    const error = await rejection(rpc.call('drop'));
    expect(error.is('CONNECTION_ERROR')).toBe(true);
    expect(error.message).toBe(`connection to ${server.socketPath} closed`);
    expect(error.stack).toContain(THIS_FILE);
  });

  // Regression: the caller must be captured before RpcClient.call awaits a connection, or a
  // call started first and awaited later loses the caller's frame.
  it('points the stack at the caller for a call started before it is awaited', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1 });
    const call = rpc.call('insert', { key: 'w' });
    await waitFor(() => server.held.length === 1);
    server.server.closeConnections();
    const error = await rejection(call);
    expect(error.is('CONNECTION_ERROR')).toBe(true);
    expect(error.stack).toContain(THIS_FILE);
  });

  it('waits with backoff for a server that is not there yet', async () => {
    const dir = await makeTempDir('ca-rpc-');
    const socketPath = join(dir, 'later.sock');
    const observed = observedRuntime();
    const rpc = client(socketPath, { initialBackoffMs: 5, maxBackoffMs: 20 }, observed.runtime);
    const call = rpc.call<Echo>('echo', { waited: true }, { timeoutMs: 20_000 });
    await waitFor(() => observed.failures() >= 3, { message: 'three failed connection attempts' });
    await TestRpcServer.start({ socketPath });
    expect((await call).params).toEqual({ waited: true });
  });

  it('fails with CONNECTION_ERROR naming the socket when nothing listens before the deadline', async () => {
    const dir = await makeTempDir('ca-rpc-');
    const socketPath = join(dir, 'nobody.sock');
    const rpc = client(socketPath, { initialBackoffMs: 5 });
    const error = await rejection(rpc.call('echo', {}, { timeoutMs: 100 }));
    expect(error.is('CONNECTION_ERROR')).toBe(true);
    expect(error.message).toContain(socketPath);
    expect(error.message).toContain('cannot connect');
    expect(error.data?.socket).toBe(socketPath);
    expect(error.data?.attempts).toBeGreaterThanOrEqual(1);
  });

  it('fails a call pending on a connection the server closes', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1 });
    const calls = [rpc.call('insert', { key: 1 }), rpc.call('update', { key: 2 })];
    await waitFor(() => server.held.length === 2);
    server.server.closeConnections();
    for (const call of calls) expect((await rejection(call)).is('CONNECTION_ERROR')).toBe(true);
  });
});

describe('RpcClient: pin', () => {
  it('binds every call to one connection', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 3 });
    const pinned = await rpc.pin();
    const held = pinned.call('hold', { key: 'busy' });
    await waitFor(() => server.held.length === 1);
    // even with a call in flight on it, the pinned caller does not spread
    const echoes = await Promise.all([pinned.call<Echo>('echo'), pinned.call<Echo>('echo')]);
    expect(echoes.map((e) => e.connection)).toEqual([server.held[0]!.connection.id, server.held[0]!.connection.id]);
    expect(pinned.connection.inFlight).toBe(1);
    server.held[0]!.resolve('done');
    expect(await held).toBe('done');
    expect(pinned.connection.inFlight).toBe(0);
  });

  it('never reconnects: after its connection drops its calls fail, while the client reconnects', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1, retryableMethods: new Set(['echo']) });
    const pinned = await rpc.pin();
    const before = (await pinned.call<Echo>('echo')).connection;
    server.server.closeConnections();
    await waitFor(() => pinned.connection.closed, { message: 'the pinned connection to close' });

    const error = await rejection(pinned.call('echo'));
    expect(error.is('CONNECTION_ERROR')).toBe(true);
    expect(error.message).toContain('is closed');
    expect(error.stack).toContain(THIS_FILE);
    const after = (await rpc.call<Echo>('echo')).connection;
    expect(after).not.toBe(before);
    // still not: the pinned caller stays on its dead connection
    expect((await rejection(pinned.call('echo'))).is('CONNECTION_ERROR')).toBe(true);
  });

  it('applies the client default timeout to pinned calls', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { timeoutMs: 50 });
    const pinned = await rpc.pin();
    expect((await rejection(pinned.call('hold'))).is('TIMEOUT')).toBe(true);
    const echo = await pinned.call<Echo>('echo', {}, { timeoutMs: 5000, priority: 'high' });
    expect(echo.timeout_ms).toBe(5000);
    expect(echo.priority).toBe('high');
  });

  it('fails with CONNECTION_ERROR when no server answers in time', async () => {
    const dir = await makeTempDir('ca-rpc-');
    const rpc = client(join(dir, 'none.sock'), { initialBackoffMs: 5 });
    expect((await rejection(rpc.pin(50))).is('CONNECTION_ERROR')).toBe(true);
  });
});

describe('RpcClient: close', () => {
  it('makes later calls and pins fail with CONNECTION_ERROR', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath);
    await rpc.call('echo');
    rpc.close();
    const error = await rejection(rpc.call('echo'));
    expect(error.is('CONNECTION_ERROR')).toBe(true);
    expect(error.message).toContain('client is closed');
    expect(error.stack).toContain(THIS_FILE);
    expect((await rejection(rpc.pin())).is('CONNECTION_ERROR')).toBe(true);
    await waitFor(() => server.server.connectionCount === 0, { message: 'the server to see the connection go' });
  });

  it('fails the calls in flight when it closes', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { retryableMethods: new Set(['select']) });
    const call = rpc.call('select', { key: 1 });
    await waitFor(() => server.held.length === 1);
    rpc.close();
    expect((await rejection(call)).is('CONNECTION_ERROR')).toBe(true);
    // a closed client does not retry, even a retryable read
    expect(server.seen).toHaveLength(1);
  });

  it('gives up a connection attempt that completes after close', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath);
    const call = rpc.call('echo');
    rpc.close(); // the connection attempt is under way
    const error = await rejection(call);
    expect(error.is('CONNECTION_ERROR')).toBe(true);
    expect(error.message).toContain('client is closed');
    expect(server.seen).toEqual([]);
    await waitFor(() => server.server.connectionCount === 0, { message: 'the abandoned connection to close' });
  });

  it('stops reconnecting when closed while the server is away', async () => {
    const dir = await makeTempDir('ca-rpc-');
    const observed = observedRuntime();
    const rpc = client(join(dir, 'away.sock'), { initialBackoffMs: 5, maxBackoffMs: 10 }, observed.runtime);
    const call = rpc.call('echo', {}, { timeoutMs: 20_000 });
    await waitFor(() => observed.failures() >= 1);
    rpc.close();
    const error = await rejection(call);
    expect(error.is('CONNECTION_ERROR')).toBe(true);
    expect(error.data?.attempts).toBe(observed.attempts());
  });
});

describe('RpcClient: what the server sends back', () => {
  it('fails every pending call on the connection when the server answers with id null', async () => {
    // An oversized request makes the real server give up on the stream: id null, then hang up.
    const server = await TestRpcServer.start({ maxFrameBytes: 2048 });
    const rpc = client(server.socketPath, { poolSize: 1 });
    const waiting = [rpc.call('hold', { key: 1 }), rpc.call('hold', { key: 2 })];
    await waitFor(() => server.held.length === 2);
    const tooBig = rpc.call('insert', { data: 'z'.repeat(4096) });
    const errors = await Promise.all([...waiting, tooBig].map(rejection));
    for (const error of errors) {
      expect(error.is('INVALID_REQUEST')).toBe(true);
      expect(error.data?.max_frame_bytes).toBe(2048);
    }
    // the answers that come later have nowhere to go
    for (const held of server.held) held.resolve('too late');
    // a retryable call gets through on a fresh connection
    const retrying = client(server.socketPath, { poolSize: 1, retryableMethods: new Set(['echo']) });
    expect((await retrying.call<Echo>('echo')).connection).not.toBe(server.held[0]!.connection.id);
  });

  it('fails pending calls with CONNECTION_ERROR on a result without id', async () => {
    const scripted = await scriptedServer((request, socket) => {
      if (request.method === 'bad') socket.write(encodeFrame({ jsonrpc: '2.0', id: null, result: 'whose?' }));
    });
    const rpc = client(scripted.socketPath, { poolSize: 1 });
    const other = rpc.call('hang');
    const error = await rejection(rpc.call('bad'));
    expect(error.is('CONNECTION_ERROR')).toBe(true);
    expect(error.message).toContain('response without id');
    expect((await rejection(other)).is('CONNECTION_ERROR')).toBe(true);
  });

  it('fails pending calls with CONNECTION_ERROR on a response that is not JSON-RPC', async () => {
    const scripted = await scriptedServer((request, socket) => {
      if (request.method === 'garbage') socket.write(rawFrame('this is not json'));
      if (request.method === 'wrong_shape') socket.write(encodeFrame({ jsonrpc: '2.0', id: request.id }));
    });
    const rpc = client(scripted.socketPath, { poolSize: 1 });
    const pending = rpc.call('hang');
    const garbage = await rejection(rpc.call('garbage'));
    expect(garbage.is('CONNECTION_ERROR')).toBe(true);
    expect(garbage.message).toContain(`malformed response from ${scripted.socketPath}`);
    expect((await rejection(pending)).message).toContain('malformed response');
    const other = client(scripted.socketPath, { poolSize: 1 });
    const wrongShape = await rejection(other.call('wrong_shape'));
    expect(wrongShape.is('CONNECTION_ERROR')).toBe(true);
    expect(wrongShape.message).toContain('malformed response');
  });

  it('matches a string id holding the number, ignores unknown ids, maps unknown codes to INTERNAL_ERROR', async () => {
    const scripted = await scriptedServer((request, socket) => {
      if (request.method === 'string_id') {
        socket.write(encodeFrame({ jsonrpc: '2.0', id: 424242, result: 'stray' }));
        socket.write(encodeFrame({ jsonrpc: '2.0', id: String(request.id), result: 'matched' }));
      }
      if (request.method === 'odd_code') {
        socket.write(encodeFrame({ jsonrpc: '2.0', id: request.id, error: { code: -32601, message: 'Method not found', data: 'x' } }));
      }
    });
    const rpc = client(scripted.socketPath, { poolSize: 1 });
    expect(await rpc.call('string_id')).toBe('matched');
    const error = await rejection(rpc.call('odd_code'));
    expect(error.is('INTERNAL_ERROR')).toBe(true);
    expect(error.message).toBe('Method not found');
    expect(error.data).toEqual({ value: 'x' });
  });

  it('fails the connection when a response frame exceeds the client limit', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1, maxFrameBytes: 1024 });
    const pending = rpc.call('hold', { key: 'bystander' });
    await waitFor(() => server.held.length === 1);
    const error = await rejection(rpc.call('big', { size: 5000 }));
    expect(error.is('INVALID_REQUEST')).toBe(true);
    expect(error.data?.max_frame_bytes).toBe(1024);
    expect((await rejection(pending)).is('INVALID_REQUEST')).toBe(true);
  });

  // Regression: after a protocol error the socket's close event comes a turn later; a call
  // made in between must not be handed to the dead connection.
  it('sends the next call on a fresh connection right after dropping a broken one', async () => {
    const server = await TestRpcServer.start();
    const rpc = client(server.socketPath, { poolSize: 1, maxFrameBytes: 1024 });
    expect((await rejection(rpc.call('big', { size: 5000 }))).is('INVALID_REQUEST')).toBe(true);
    expect(await rpc.call('big', { size: 10 })).toEqual({ blob: 'x'.repeat(10) });
  });
});
