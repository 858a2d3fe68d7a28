/// <reference lib="deno.ns" />
import { nativeLibraryFile, sqliteVecPackage } from './native-library-files.ts';
import type { NativeLibrary, ThreadEntry, ThreadPort, WorkerThread } from './types.ts';

/** A Web Worker running the entry's source module (Deno runs TypeScript as it is). */
export function startDenoThread(entry: ThreadEntry): WorkerThread {
  const worker = new Worker(entry.source, { type: 'module' });
  let exited = false;
  let failure: Error | undefined;
  const exitListeners: Array<(error?: Error) => void> = [];
  const exit = (error?: Error) => {
    if (exited) return;
    exited = true;
    failure = error;
    for (const listener of exitListeners) listener(error);
  };
  // An uncaught error ends the worker; not handled here, it would end this process too.
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    worker.terminate();
    exit(new Error(event.message));
  });
  return {
    postMessage: (message, transfer) => worker.postMessage(message, { transfer: transfer ?? [] }),
    onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
    onExit(listener) {
      if (exited) queueMicrotask(() => listener(failure));
      else exitListeners.push(listener);
    },
    async terminate() {
      worker.terminate();
      exit(new Error('the thread was terminated'));
    },
  };
}

/** Inside a Web Worker: the channel to the thread that started it. */
export function denoThreadPort(): ThreadPort | null {
  const scope = globalThis as unknown as {
    WorkerGlobalScope?: unknown;
    postMessage(message: unknown, options?: { transfer: ArrayBuffer[] }): void;
    addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  };
  if (scope.WorkerGlobalScope === undefined) return null;
  return {
    postMessage: (message, transfer) => scope.postMessage(message, { transfer: transfer ?? [] }),
    onMessage: (listener) => scope.addEventListener('message', (event) => listener(event.data)),
  };
}

/** Where a native library is under Deno (which runs the sources): build/native/, or sqlite-vec's npm package. */
export function denoNativeLibrary(name: NativeLibrary): string {
  const file = nativeLibraryFile(name, Deno.build.os);
  const where = name === 'sqlite-vec' ? `../../node_modules/${sqliteVecPackage(Deno.build.os, Deno.build.arch)}` : '../../build/native';
  const path = new URL(`${where}/${file}`, import.meta.url).pathname;
  try {
    Deno.statSync(path);
  } catch {
    const how = name === 'sqlite-vec' ? 'install the dependencies with "npm install"' : 'build it with "npm run build:native" (needs a C compiler)';
    throw new Error(`${path} is missing: ${how}`);
  }
  return path;
}
