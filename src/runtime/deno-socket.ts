/// <reference lib="deno.ns" />
import type { SocketConnection } from './types.ts';

/** A Deno connection as the runtime contract's SocketConnection. */
export function wrapConn(conn: Deno.Conn): SocketConnection {
  let closed = false;
  let closeError: Error | undefined;
  const closeListeners: Array<(error?: Error) => void> = [];
  const dataListeners: Array<(chunk: Uint8Array) => void> = [];
  // Writes are chained so frames go out whole and in order.
  let writing: Promise<void> = Promise.resolve();
  let endRequested = false;
  let unsent = 0;
  const drainListeners: Array<() => void> = [];
  // Reading waits here while paused.
  let paused = null as { promise: Promise<void>; release: () => void } | null;

  const finish = (error?: Error) => {
    if (closed) return;
    closed = true;
    closeError = error;
    try {
      conn.close();
    } catch {
      // already closed by the peer
    }
    for (const listener of closeListeners) listener(closeError);
  };

  (async () => {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (!closed) {
        const gate = paused as { promise: Promise<void> } | null;
        if (gate) await gate.promise;
        const n = await conn.read(buffer);
        if (n === null) break;
        const chunk = buffer.slice(0, n);
        for (const listener of dataListeners) listener(chunk);
      }
      finish();
    } catch (error) {
      finish(closed ? undefined : (error as Error));
    }
  })();

  const writeAll = async (data: Uint8Array) => {
    let offset = 0;
    while (offset < data.length) offset += await conn.write(data.subarray(offset));
  };

  return {
    write(data) {
      if (closed || endRequested) return;
      const copy = data.slice();
      unsent += copy.length;
      writing = writing
        .then(() => (closed ? undefined : writeAll(copy)))
        .catch((error) => finish(error as Error))
        .finally(() => {
          unsent -= copy.length;
          if (unsent === 0) for (const listener of drainListeners) listener();
        });
    },
    onData(listener) {
      dataListeners.push(listener);
    },
    onClose(listener) {
      if (closed) queueMicrotask(() => listener(closeError));
      else closeListeners.push(listener);
    },
    end() {
      endRequested = true;
      writing.then(() => finish());
    },
    destroy() {
      paused?.release();
      finish();
    },
    get closed() {
      return closed;
    },
    pause() {
      if (paused) return;
      let release!: () => void;
      const promise = new Promise<void>((resolve) => (release = resolve));
      paused = { promise, release };
    },
    resume() {
      const gate = paused;
      paused = null;
      gate?.release();
    },
    get unsentBytes() {
      return unsent;
    },
    onDrain(listener) {
      drainListeners.push(listener);
    },
  };
}
