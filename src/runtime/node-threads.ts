import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { READY, starterChannel } from './thread-channel.ts';
import type { EmbeddedAssets, NativeLibrary, ThreadEntry, ThreadHandle, ThreadPort } from './types.ts';

/**
 * Threads and native libraries on Node, in each way the program runs: from the sources
 * (TypeScript through tsx), from the bundle in build/out/, or as the single executable
 * (whose require() loads built-ins only: its files are extracted and started from there).
 */


/** This very file is TypeScript when the program runs from its sources. */
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const HERE = dirname(fileURLToPath(import.meta.url));

function sourcesWorker(entry: ThreadEntry): Worker {
  // A thread does not inherit tsx's loader: it registers it (tsx's ESM API, as its package
  // exports it), then imports the entry.
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const exports = (require('tsx/package.json') as { exports: Record<string, { import: { default: string } }> }).exports;
  const tsx = pathToFileURL(resolve(dirname(manifest), exports['./esm/api']!.import.default)).href;
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.source.href)}); })`;
  return new Worker(code, { eval: true });
}

export function startNodeThread(entry: ThreadEntry, assets: EmbeddedAssets | null): ThreadHandle {
  const file = `${entry.name}.cjs`;
  const worker = assets ? new Worker(assets.file(file)) : FROM_SOURCES ? sourcesWorker(entry) : new Worker(join(HERE, file));
  // A thread never keeps the process alive on its own: its owner closes it.
  worker.unref();
  const channel = starterChannel((message) => worker.postMessage(message));
  const listeners: Array<(message: unknown) => void> = [];
  const exitListeners: Array<(error?: Error) => void> = [];
  let failure: Error | undefined;
  worker.on('message', (message: unknown) => {
    if (channel.received(message)) for (const listener of listeners) listener(message);
  });
  worker.on('error', (error) => (failure = error));
  worker.on('exit', (code) => {
    const error = failure ?? (code === 0 ? undefined : new Error(`thread ${entry.name} exited with code ${code}`));
    for (const listener of exitListeners) listener(error);
  });
  return {
    postMessage: (message) => channel.post(message),
    onMessage: (listener) => listeners.push(listener),
    onExit: (listener) => exitListeners.push(listener),
    async terminate() {
      await worker.terminate();
    },
  };
}

export function nodeThreadPort(): ThreadPort | null {
  const port = parentPort;
  if (isMainThread || !port) return null;
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage(listener) {
      port.on('message', listener);
      port.postMessage(READY);
    },
  };
}

/** Where a native library is: beside the bundle, in build/native/ for the sources, extracted from the executable. */
export function nodeNativeLibrary(name: NativeLibrary, assets: EmbeddedAssets | null): string {
  const file = `${name}${process.platform === 'darwin' ? '.dylib' : '.so'}`;
  if (assets) return assets.file(file);
  const path = FROM_SOURCES ? resolve(HERE, '../../build/native', file) : join(HERE, file);
  if (!existsSync(path)) throw new Error(`${path} is missing: build it with "npm run build:native" (needs a C compiler, as better-sqlite3 does)`);
  return path;
}
