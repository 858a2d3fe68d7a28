export type {
  AppendFile,
  ChildProcess,
  EmbeddedAssets,
  FetchHandler,
  FileInfo,
  FileSystem,
  HttpServer,
  NativeLibrary,
  Runtime,
  RuntimeName,
  Signal,
  SocketConnection,
  SocketServer,
  SpawnOptions,
  StdioMode,
  ThreadEntry,
  ThreadPort,
  WorkerThread,
} from './types.ts';
export { createLogger, type LogFormat, type Logger } from './logger.ts';
export { AlreadyRunningError, PidFile } from './pid-file.ts';
export { waitForShutdownSignal } from './shutdown-signal.ts';
import type { EmbeddedAssets, Runtime } from './types.ts';

// Loaded by a computed specifier: tsc (Node types) and the Node bundle must not follow it;
// `deno check` type-checks that file instead.
const DENO_ADAPTER = './deno.ts';

let embedded: EmbeddedAssets | null = null;

/** Pick the adapter for the runtime we are on. The entry point calls this once and passes it down. */
export async function loadRuntime(): Promise<Runtime> {
  if ('Deno' in globalThis) return ((await import(DENO_ADAPTER)) as { denoRuntime: Runtime }).denoRuntime;
  const node = await import('./node.ts');
  embedded = node.loadEmbeddedAssets();
  return node.nodeRuntime;
}

/**
 * The single executable's own files (the SQLite addon, the WASM grammars), known once
 * loadRuntime has run; null when running from the sources or a bundle. A fact
 * about the whole process, so the SQLite engine and the grammar lookup ask here.
 */
export function embeddedAssets(): EmbeddedAssets | null {
  return embedded;
}
