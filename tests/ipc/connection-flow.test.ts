import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionFlow } from '../../src/ipc/connection-flow.ts';
import type { SocketConnection } from '../../src/runtime/types.ts';

/** A socket that only records what flow control does to it. */
function fakeSocket() {
  const drains: Array<() => void> = [];
  const socket = {
    paused: false,
    unsentBytes: 0,
    pause() {
      socket.paused = true;
    },
    resume() {
      socket.paused = false;
    },
    onDrain: (listener: () => void) => drains.push(listener),
    drain() {
      socket.unsentBytes = 0;
      for (const listener of drains) listener();
    },
  };
  return socket;
}

const limits = { maxPending: 2, maxUnsentBytes: 100, frameTimeoutMs: 1_000 };

describe('ConnectionFlow', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops reading at the cap of unanswered requests, and reads again below it', () => {
    const socket = fakeSocket();
    const flow = new ConnectionFlow(socket as unknown as SocketConnection, limits, () => undefined);
    flow.started();
    expect(socket.paused).toBe(false);
    flow.started();
    expect(socket.paused).toBe(true);
    flow.answered();
    expect(socket.paused).toBe(false);
  });

  it('stops reading while the peer leaves answers unread, and reads again once they went out', () => {
    const socket = fakeSocket();
    const flow = new ConnectionFlow(socket as unknown as SocketConnection, limits, () => undefined);
    flow.started();
    socket.unsentBytes = 150;
    flow.answered();
    expect(socket.paused).toBe(true);
    socket.drain();
    expect(socket.paused).toBe(false);
  });

  it('gives a partly received frame its time, counted only while the connection is read', () => {
    vi.useFakeTimers();
    const socket = fakeSocket();
    let timedOut = 0;
    const flow = new ConnectionFlow(socket as unknown as SocketConnection, limits, () => timedOut++);
    flow.received(true, 0);
    vi.advanceTimersByTime(900);
    flow.received(true, 0); // more of the same frame: its clock runs on
    vi.advanceTimersByTime(200);
    expect(timedOut).toBe(1);

    flow.received(true, 1); // a frame completed, a new one began: a fresh clock
    vi.advanceTimersByTime(900);
    flow.started();
    flow.started(); // paused: the clock stops
    vi.advanceTimersByTime(5_000);
    expect(timedOut).toBe(1);
    flow.answered(); // reading again: a fresh clock
    vi.advanceTimersByTime(999);
    expect(timedOut).toBe(1);
    flow.received(false, 1);
    vi.advanceTimersByTime(5_000);
    expect(timedOut).toBe(1);

    flow.received(true, 0);
    flow.stop();
    vi.advanceTimersByTime(5_000);
    expect(timedOut).toBe(1);
  });
});
