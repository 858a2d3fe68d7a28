export type {
  AppendFile,
  ChildProcess,
  FetchHandler,
  FileInfo,
  FileSystem,
  HttpServer,
  Runtime,
  RuntimeName,
  Signal,
  SocketConnection,
  SocketServer,
  SpawnOptions,
  StdioMode,
} from './types.ts';
import type { Runtime } from './types.ts';

// Loaded by a computed specifier: tsc (Node types) and the Node bundle must not follow it;
// `deno check` type-checks that file instead.
const DENO_ADAPTER = './deno.ts';

/** Pick the adapter for the runtime we are on. The entry point calls this once and passes it down. */
export async function loadRuntime(): Promise<Runtime> {
  if ('Deno' in globalThis) return ((await import(DENO_ADAPTER)) as { denoRuntime: Runtime }).denoRuntime;
  return (await import('./node.ts')).nodeRuntime;
}
