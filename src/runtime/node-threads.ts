import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { nativeLibraryFile, sqliteVecPackage } from './native-library-files.ts';
import type { EmbeddedAssets, NativeLibrary, ThreadEntry, ThreadPort, WorkerThread } from './types.ts';

/**
 * From the sources, a thread compiles its TypeScript with tsx, as bin/code-analysis.js
 * does for the main thread (a loader registered there does not reach other threads).
 */
const TSX_BOOT = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });`;

/** tsx's ESM registration API: its `require` entry is the CommonJS twin of the file we import. */
function tsxApi(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
}

/**
 * Start `entry` in a worker thread: the executable's extracted bundle of it, the bundle
 * next to the program's own bundle, or (from the sources: this file is still `.ts`) the
 * source module through tsx.
 */
export function startNodeThread(entry: ThreadEntry, embedded: EmbeddedAssets | null): WorkerThread {
  const self = fileURLToPath(import.meta.url);
  let worker: Worker;
  // A smaller young generation than V8 gives a thread by default: index's parse threads held
  // 20-30 MB more at its peak on python3's standard library, for no speed measured.
  const resourceLimits = { maxYoungGenerationSizeMb: 16 };
  if (embedded) worker = new Worker(embedded.threadBundle(entry.bundle), { resourceLimits });
  else if (!self.endsWith('.ts')) worker = new Worker(join(dirname(self), entry.bundle), { resourceLimits });
  else worker = new Worker(TSX_BOOT, { eval: true, workerData: { tsx: tsxApi(), entry: entry.source }, resourceLimits });
  return wrapWorker(worker);
}

function wrapWorker(worker: Worker): WorkerThread {
  let failure: Error | undefined;
  let exited = false;
  const exitListeners: Array<(error?: Error) => void> = [];
  worker.on('error', (error) => {
    failure = error;
  });
  worker.on('exit', (code) => {
    exited = true;
    failure ??= code === 0 ? undefined : new Error(`the thread exited with code ${code}`);
    for (const listener of exitListeners) listener(failure);
  });
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    onMessage: (listener) => worker.on('message', listener),
    onExit(listener) {
      if (exited) queueMicrotask(() => listener(failure));
      else exitListeners.push(listener);
    },
    async terminate() {
      await worker.terminate();
    },
  };
}

/** Inside a worker thread: the channel to the thread that started it. */
export function nodeThreadPort(): ThreadPort | null {
  if (isMainThread || !parentPort) return null;
  const port = parentPort;
  return {
    postMessage: (message, transfer) => port.postMessage(message, transfer),
    onMessage: (listener) => port.on('message', listener),
  };
}

/**
 * Where a native library is: extracted from the executable, beside the bundle, or for the
 * sources in build/native/ (sqlite-deadline) or its npm package (sqlite-vec).
 */
export function nodeNativeLibrary(name: NativeLibrary, assets: EmbeddedAssets | null): string {
  const file = nativeLibraryFile(name, process.platform);
  if (assets) return assets.file(file);
  const here = dirname(fileURLToPath(import.meta.url));
  const fromSources = import.meta.url.endsWith('.ts');
  if (fromSources && name === 'sqlite-vec') return createRequire(import.meta.url).resolve(`${sqliteVecPackage(process.platform, process.arch)}/${file}`);
  const path = fromSources ? resolve(here, '../../build/native', file) : join(here, file);
  if (!existsSync(path)) throw new Error(`${path} is missing: build it with "npm run build:native" (needs a C compiler, as better-sqlite3 does)`);
  return path;
}
