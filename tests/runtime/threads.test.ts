import { describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { ThreadEntry, WorkerThread } from '../../src/runtime/types.ts';
import { deferCleanup } from '../helpers/cleanup.ts';

const ECHO: ThreadEntry = { source: new URL('../helpers/echo-thread.ts', import.meta.url).href, bundle: 'echo-thread.cjs' };

/** The echo thread, started and ready; terminated after the test. */
async function startEcho(): Promise<{ thread: WorkerThread; next: () => Promise<unknown> }> {
  const thread = nodeRuntime.startThread(ECHO);
  deferCleanup(() => thread.terminate());
  const inbox: unknown[] = [];
  const waiting: Array<(message: unknown) => void> = [];
  thread.onMessage((message) => (waiting.length ? waiting.shift()!(message) : inbox.push(message)));
  const next = () => (inbox.length ? Promise.resolve(inbox.shift()) : new Promise<unknown>((resolve) => waiting.push(resolve)));
  expect(await next()).toEqual({ ready: true });
  return { thread, next };
}

describe('Node threads (runtime.startThread, threadPort)', () => {
  it('runs a source module in a thread of its own and exchanges messages with it, buffers moved', async () => {
    const { thread, next } = await startEcho();
    thread.postMessage({ text: 'hello', n: 3 });
    expect(await next()).toEqual({ echo: { text: 'hello', n: 3 } });
    const bytes = new Uint8Array([1, 2, 3]);
    thread.postMessage({ bytes }, [bytes.buffer]);
    // Moved, not copied: this side's view is empty now.
    expect(bytes.byteLength).toBe(0);
    expect(await next()).toEqual({ echo: { bytes: new Uint8Array([1, 2, 3]) } });
  });

  it('tells when the thread ends: terminated, or failed with its error', async () => {
    const stopped = await startEcho();
    const ended = new Promise<Error | undefined>((resolve) => stopped.thread.onExit(resolve));
    await stopped.thread.terminate();
    expect(await ended).toBeInstanceOf(Error);
    // A listener added after the end still hears of it.
    expect(await new Promise((resolve) => stopped.thread.onExit((error) => resolve(error?.message)))).toMatch(/exited with code 1/);

    const failing = await startEcho();
    const failed = new Promise<Error | undefined>((resolve) => failing.thread.onExit(resolve));
    failing.thread.postMessage({ fail: 'boom in the thread' });
    expect((await failed)?.message).toBe('boom in the thread');
  });

  it('has no parent port in the main thread, and knows how many threads can run at once', () => {
    expect(nodeRuntime.threadPort()).toBeNull();
    expect(nodeRuntime.parallelism).toBeGreaterThanOrEqual(1);
  });
});
