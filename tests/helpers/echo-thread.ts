/**
 * A thread module for the runtime's thread tests (tests/runtime/threads.test.ts): answers
 * each message with `{echo: message}`, moving a buffer it is sent back; `{fail: text}`
 * throws text out of the thread.
 */
import { loadRuntime } from '../../src/runtime/index.ts';

void loadRuntime().then((runtime) => {
  const port = runtime.threadPort();
  if (!port) throw new Error('echo-thread.ts runs only as a thread');
  port.onMessage((message) => {
    const request = message as { fail?: string; bytes?: Uint8Array };
    if (request.fail) {
      // Out of the event loop, as an uncaught error in the thread.
      setTimeout(() => {
        throw new Error(request.fail);
      });
      return;
    }
    port.postMessage({ echo: message }, request.bytes ? [request.bytes.buffer as ArrayBuffer] : []);
  });
  port.postMessage({ ready: true });
});
