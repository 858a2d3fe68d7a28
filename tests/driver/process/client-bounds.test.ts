import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { encodeFrame } from '../../../src/ipc/frame-codec.ts';
import { type ChildDriver, startDriverProcess } from '../../helpers/driver.ts';
import { RawSocket } from '../../helpers/raw-socket.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { waitFor } from '../../helpers/wait-for.ts';

type Stats = {
  connections: number;
  queue: { depth: { total: number } };
  running: number;
  methods: Record<string, { count: number }>;
  memory: { rss_mb: number; heap_used_mb: number };
};

/** Resident memory (from /proc) and the driver's own heap figure, for the printed figures. */
async function memory(driver: ChildDriver, stats: () => Promise<Stats>): Promise<string> {
  return `RSS ${rssMb(driver).toFixed(1)} MB, heap ${(await stats()).memory.heap_used_mb} MB`;
}

const MARKS = { name: 'marks', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] };

/** The driver process's resident memory in MB (Linux /proc), for the printed figures. */
const rssMb = (driver: ChildDriver) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${driver.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** `count` select requests in frames, written as one stream. */
function pipelinedSelects(count: number): Uint8Array {
  const one = (id: number) => encodeFrame({ jsonrpc: '2.0', id, method: 'select', params: { table_name: 'marks', where: { id: 1 } } });
  const frames = Array.from({ length: count }, (_, i) => one(i));
  const out = new Uint8Array(frames.reduce((sum, frame) => sum + frame.length, 0));
  let at = 0;
  for (const frame of frames) {
    out.set(frame, at);
    at += frame.length;
  }
  return out;
}

// Issue 14, case 5: what one client may hold of the driver.
describe('per-client bounds of a real driver process', () => {
  it('a client that pipelines 100,000 requests and reads nothing holds a bounded share; the others keep answering; its memory is given back when it leaves', async () => {
    const driver = await startDriverProcess({ settings: { maxPendingPerConnection: 200, maxUnsentBytes: 256 * 1024 } });
    const db = driver.client();
    await db.createTable(MARKS);
    await db.insertMany('marks', [{ id: 1, label: 'kept' }]);
    const stats = () => db.stats() as Promise<Stats>;
    const before = await memory(driver, stats);

    const hog = await RawSocket.connect(driver.socketPath, { reading: false });
    hog.sendBytes(pipelinedSelects(100_000));
    // The driver stops reading the hog once its unread answers pile up: the count settles.
    let last = -1;
    const settled = await waitFor(
      async () => {
        const count = (await stats()).methods.select?.count ?? 0;
        const still = count === last && count > 0;
        last = count;
        return still ? count : undefined;
      },
      { intervalMs: 300, timeoutMs: 60_000, message: 'the driver to stop reading from the hog' },
    );
    const peak = await memory(driver, stats);
    expect(settled).toBeLessThan(100_000);
    const during = await stats();
    expect(during.queue.depth.total + during.running).toBeLessThanOrEqual(200);
    // Everyone else is served meanwhile.
    expect((await db.select('marks')).data).toEqual([{ id: 1, label: 'kept' }]);
    await db.insert('marks', { id: 2, label: 'while the hog waits' });

    hog.close();
    await waitFor(async () => (await stats()).connections <= 2, { message: 'the hog to be gone' });
    expect((await stats()).queue.depth.total).toBe(0);
    console.log(`driver memory, 100,000 unread pipelined selects (${settled} read and answered before it stopped reading): before: ${before}; at the peak: ${peak}; after the client left: ${await memory(driver, stats)}`);
    expect((await db.select('marks', { order_by: ['id'] })).data).toEqual([
      { id: 1, label: 'kept' },
      { id: 2, label: 'while the hog waits' },
    ]);
  });

  it('frames that never arrive whole are answered and closed after the frame timeout, freeing what they held', async () => {
    const driver = await startDriverProcess({ settings: { frameTimeoutMs: 1_000 } });
    const db = driver.client();
    const stats = () => db.stats() as Promise<Stats>;
    const before = await memory(driver, stats);
    const slow = await Promise.all(Array.from({ length: 10 }, () => RawSocket.connect(driver.socketPath)));
    // Each announces 16 MiB, sends 2 MiB of it, then trickles.
    const header = new Uint8Array([0x00, 0xff, 0xff, 0xff]);
    const part = new Uint8Array(2 * 1024 * 1024).fill(0x20);
    for (const socket of slow) {
      socket.sendBytes(header);
      socket.sendBytes(part);
    }
    const trickle = setInterval(() => slow.forEach((socket) => !socket.closed && socket.sendBytes(new Uint8Array([0x20]))), 100);
    try {
      expect(await db.ping()).toMatchObject({ pong: true });
      await waitFor(async () => (await stats()).memory.heap_used_mb > 0, { message: 'a figure' });
      const peak = await memory(driver, stats);
      for (const socket of slow) {
        const answer = await socket.response(1);
        expect(answer.error).toMatchObject({ code: ErrorCode.INVALID_REQUEST, data: { frame_timeout_ms: 1_000 } });
        await waitFor(() => socket.closed, { message: 'the slow connection to be closed' });
      }
      console.log(`driver memory, ten 16 MiB partial frames (2 MiB of each sent, then a byte per 100 ms): before: ${before}; while held: ${peak}; after they were closed: ${await memory(driver, stats)}`);
    } finally {
      clearInterval(trickle);
    }
    expect(await db.ping()).toMatchObject({ pong: true });
  });

  it('one connection cannot fill the queue for everybody: another client\'s requests, critical ones first, push out its newest', async () => {
    const driver = await startDriverProcess({ settings: { maxQueueSize: 20 } });
    const db = driver.client();
    await db.createTable(MARKS);
    const owner = driver.rpc({ poolSize: 1 });
    // An open transaction holds the writer: every write waits in the queue.
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    const hog = driver.rpc({ poolSize: 1 });
    let refused = 0;
    const hogged = Array.from({ length: 40 }, (_, i) =>
      hog.call('insert', { table_name: 'marks', data: { id: 100 + i, label: 'hog' } }).then(
        () => 'ok',
        (error: { code: number }) => (refused++, error.code),
      ),
    );
    await waitFor(async () => ((await db.stats()) as Stats).queue.depth.total === 20, { message: 'the hog to fill the queue' });
    const other = driver.rpc({ poolSize: 1 });
    const critical = other.call('insert', { table_name: 'marks', data: { id: 1, label: 'critical' } }, { priority: 'critical' });
    const normal = other.call('insert', { table_name: 'marks', data: { id: 2, label: 'normal' } });
    // The hog's own extra requests are still refused at once: its share is full.
    expect((await rejectionOf(hog.call('insert', { table_name: 'marks', data: { id: 999 } }))).code).toBe(ErrorCode.QUEUE_FULL);
    // The other client's two are in the queue (two of the hog's pushed out: 20 refused at once, 2 more) before the writer is freed.
    await waitFor(() => refused === 22, { message: "the other client's requests to push out two of the hog's" });
    await owner.call('commit_transaction', { transaction_id });
    expect(await critical).toEqual({ row_id: 1 });
    expect(await normal).toEqual({ row_id: 2 });
    const outcomes = await Promise.all(hogged);
    const acknowledged = outcomes.flatMap((outcome, i) => (outcome === 'ok' ? [100 + i] : []));
    expect(outcomes.filter((outcome) => outcome !== 'ok').every((code) => code === ErrorCode.QUEUE_FULL)).toBe(true);
    expect(outcomes, JSON.stringify(outcomes)).toHaveLength(40);
    expect(acknowledged.length, JSON.stringify(outcomes)).toBe(18);
    // Every acknowledged row is there, and nothing that was refused.
    const { data } = await db.select<{ id: number }>('marks', { order_by: ['id'] });
    expect(data.map((row) => row.id)).toEqual([1, 2, ...acknowledged]);
  });
});
