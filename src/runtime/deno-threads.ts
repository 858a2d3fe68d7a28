/// <reference lib="deno.ns" />
import { READY, starterChannel } from './thread-channel.ts';
import type { NativeLibrary, ThreadEntry, ThreadHandle, ThreadPort } from './types.ts';

/**
 * Threads and native libraries under Deno: Web Workers running the TypeScript sources
 * (Deno never runs as the executable or from the bundle). A worker's messages sent before
 * its module has finished loading would be lost, so the thread says when it listens.
 */

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

export function startDenoThread(entry: ThreadEntry): ThreadHandle {
  const worker = new Worker(entry.source.href, { type: 'module' });
  const channel = starterChannel((message) => worker.postMessage(message));
  let ended = false;
  const listeners: Array<(message: unknown) => void> = [];
  const exitListeners: Array<(error?: Error) => void> = [];
  const end = (error?: Error) => {
    if (ended) return;
    ended = true;
    for (const listener of exitListeners) listener(error);
  };
  worker.onmessage = (event: MessageEvent) => {
    if (channel.received(event.data)) for (const listener of listeners) listener(event.data);
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    worker.terminate();
    end(new Error(`thread ${entry.name} failed: ${event.message}`));
  };
  return {
    postMessage: (message) => channel.post(message),
    onMessage: (listener) => listeners.push(listener),
    onExit: (listener) => exitListeners.push(listener),
    async terminate() {
      worker.terminate();
      end();
    },
  };
}

export function denoThreadPort(): ThreadPort | null {
  const scope = globalThis as unknown as { WorkerGlobalScope?: new () => unknown };
  if (!scope.WorkerGlobalScope || !(globalThis instanceof scope.WorkerGlobalScope)) return null;
  const self = globalThis as unknown as WorkerScope;
  return {
    postMessage: (message) => self.postMessage(message),
    onMessage(listener) {
      self.onmessage = (event) => listener(event.data);
      self.postMessage(READY);
    },
  };
}

export function denoNativeLibrary(name: NativeLibrary): string {
  const path = new URL(`../../build/native/${name}${Deno.build.os === 'darwin' ? '.dylib' : '.so'}`, import.meta.url).pathname;
  try {
    Deno.statSync(path);
  } catch {
    throw new Error(`${path} is missing: build it with "npm run build:native" (needs a C compiler)`);
  }
  return path;
}
