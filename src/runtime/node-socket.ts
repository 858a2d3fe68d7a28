import type { Socket } from 'node:net';
import type { SocketConnection } from './types.ts';

/** A Node socket as the runtime contract's SocketConnection. */
export function wrapSocket(socket: Socket): SocketConnection {
  let closed = false;
  const closeListeners: Array<(error?: Error) => void> = [];
  let closeError: Error | undefined;
  socket.setNoDelay(true);
  socket.on('error', (error) => {
    closeError = error;
  });
  socket.on('close', () => {
    closed = true;
    for (const listener of closeListeners) listener(closeError);
  });
  return {
    write(data) {
      if (!closed && socket.writable) socket.write(data);
    },
    onData(listener) {
      socket.on('data', listener);
    },
    onClose(listener) {
      if (closed) queueMicrotask(() => listener(closeError));
      else closeListeners.push(listener);
    },
    end() {
      socket.end();
    },
    destroy() {
      socket.destroy();
    },
    get closed() {
      return closed;
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    get unsentBytes() {
      return socket.writableLength;
    },
    onDrain(listener) {
      socket.on('drain', listener);
    },
  };
}
