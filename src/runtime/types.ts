/**
 * The runtime contract: everything the program needs from the host (process, sockets,
 * files, signals, environment). Implemented once per runtime (node.ts, deno.ts); the rest
 * of src/ depends on this file only.
 */

export type RuntimeName = 'node' | 'deno';

export type Signal = 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'SIGKILL';

/** A byte stream connection (one side of a Unix socket). */
export interface SocketConnection {
  /** Queue bytes for sending; never throws on a closed socket (the bytes are dropped). */
  write(data: Uint8Array): void;
  onData(listener: (chunk: Uint8Array) => void): void;
  /** Called once, when the connection is closed from either side or fails. */
  onClose(listener: (error?: Error) => void): void;
  /** Flush what was written, then close. */
  end(): void;
  /** Close at once. */
  destroy(): void;
  readonly closed: boolean;
  /** Stop reading: the peer's writes wait in the operating system (backpressure). */
  pause(): void;
  resume(): void;
  /** Bytes written and not yet handed to the operating system (the peer is not reading). */
  readonly unsentBytes: number;
  /** Called whenever the unsent bytes have all gone out. */
  onDrain(listener: () => void): void;
}

export interface SocketServer {
  readonly path: string;
  /** Stop accepting connections; existing connections stay open. */
  close(): Promise<void>;
}

export interface ChildProcess {
  readonly pid: number;
  /** Resolves with the exit code, or the signal name when killed by a signal. */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  readonly stdout: AsyncIterable<Uint8Array> | null;
  readonly stderr: AsyncIterable<Uint8Array> | null;
  kill(signal?: Signal): void;
}

export type StdioMode = 'pipe' | 'inherit' | 'ignore';

export interface SpawnOptions {
  cwd?: string;
  /** The child's whole environment; default: this process's, less `withoutEnv`. */
  env?: Record<string, string>;
  /** Variables of this process's environment that the child does not get. */
  withoutEnv?: string[];
  stdout?: StdioMode;
  stderr?: StdioMode;
}

/** What `stat` tells about a path. */
export interface FileInfo {
  size: number;
  /** Last modification, in ms since the epoch. */
  mtimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
  /** The path itself is a symbolic link (stat does not follow links). */
  isSymlink: boolean;
}

/** A file opened for appending (log files); writes are queued in order. */
export interface AppendFile {
  write(text: string): void;
  /** Flush what was written, then close. */
  close(): Promise<void>;
}

/**
 * Native libraries the program carries, embedded in the executable: `sqlite-deadline` built
 * from its sources at install, `sqlite-vec` (vec0) from its npm package.
 */
export type NativeLibrary = 'sqlite-deadline' | 'sqlite-vec';

/** What the HTTP server calls for each request: the web-standard fetch signature. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface HttpServer {
  readonly hostname: string;
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** Stop accepting connections and wait for requests in flight to be answered. */
  close(): Promise<void>;
}

export interface FileSystem {
  readText(path: string): Promise<string>;
  /** Write through a temp file and rename, so readers never see a half-written file. */
  writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean; mode?: number }): Promise<void>;
  /** Remove a file or directory; no error when it does not exist. */
  rm(path: string, options?: { recursive?: boolean }): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** File mode bits (permissions), or null when the path does not exist. */
  mode(path: string): Promise<number | null>;
  makeTempDir(prefix: string): Promise<string>;
  /** Names of the entries of a directory (not sorted). */
  readDir(path: string): Promise<string[]>;
  /** Facts about a path itself (a link is not followed), or null when it does not exist. */
  stat(path: string): Promise<FileInfo | null>;
  /** Open a file for appending, creating it (and not its folder) when missing. */
  openAppend(path: string, mode?: number): Promise<AppendFile>;
  readBytes(path: string): Promise<Uint8Array>;
  /** The absolute path with every symbolic link resolved, or null when it does not exist. */
  realpath(path: string): Promise<string | null>;
  /**
   * Call `onChange` when something under the directory changes (recursively), with the
   * path when the platform says which; returns the function that stops watching. Events
   * are hints: callers rescan, they do not trust them to be complete. A symbolic link
   * cycle under it does not end the watch. When the watch itself fails (the directory
   * went away, a watch limit was reached) it is closed and `onError` told, so the caller
   * can count it and watch again.
   */
  watch(path: string, onChange: (path: string | null) => void, onError?: (error: Error) => void): () => void;
}

/**
 * A module that runs in a thread of its own. From the sources (and on Deno) the thread
 * runs `source` itself; a bundle or the single executable runs the module's own bundle,
 * which the build puts next to the program's bundle and embeds in the executable.
 */
export interface ThreadEntry {
  /** URL of the module's source file: `new URL('./x.ts', import.meta.url).href`. */
  source: string;
  /** File name of its bundle (`x.cjs`). */
  bundle: string;
}

/** One side of the message channel between a thread and the thread that started it. */
export interface ThreadPort {
  /** Send a structured clone of `message`; the buffers in `transfer` move instead of being copied. */
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** A thread as its parent sees it. */
export interface WorkerThread extends ThreadPort {
  /** Called once when the thread ends: with the error when its module failed or it was ended. */
  onExit(listener: (error?: Error) => void): void;
  /** End the thread at once, whatever it is doing; resolves when it is gone. */
  terminate(): Promise<void>;
}

/**
 * The files the single executable carries (the better-sqlite3 addon, the tree-sitter WASM
 * files), extracted to a cache directory; each is checked against the embedded copy (and
 * rewritten when it differs) the first time a process asks for it.
 */
export interface EmbeddedAssets {
  /** The cache directory they were extracted to. */
  readonly dir: string;
  /** Path of web-tree-sitter's own `tree-sitter.wasm`. */
  readonly treeSitterCore: string;
  /** Path of one language's grammar `.wasm`. */
  grammar(language: string): string;
  /** Path of a thread module's bundle (ThreadEntry.bundle). */
  threadBundle(name: string): string;
  /** The better-sqlite3 addon, loaded from its extracted file: better-sqlite3's `nativeBinding`. */
  sqliteAddon(): object;
  /** Path of onnxruntime-web's WASM binary (the `onnx` embedding provider). */
  readonly onnxRuntimeWasm: string;
  /** Path of any other embedded file (a native library), extracted and verified. */
  file(name: string): string;
}

export interface Runtime {
  readonly name: RuntimeName;
  /** Version of the runtime itself, and how it is packed (e.g. "20.20.2" or "20.20.2, single executable"). */
  readonly version: string;
  readonly pid: number;
  /** Whether the built-in `node:sqlite` module is available. */
  readonly hasNodeSqlite: boolean;
  readonly fs: FileSystem;

  /** Command-line arguments after the program (what the user typed). */
  args(): string[];
  /** Read one environment variable (only config resolution and the entry point call this). */
  env(name: string): string | undefined;
  cwd(): string;

  /** The argv prefix that starts this same program again (dev, bundle, executable or Deno). */
  selfCommand(): string[];
  spawn(command: string[], options?: SpawnOptions): ChildProcess;
  isPidAlive(pid: number): boolean;
  kill(pid: number, signal: Signal): boolean;
  /** Subscribe to a process signal; returns the unsubscribe function. */
  onSignal(signal: Exclude<Signal, 'SIGKILL'>, listener: () => void): () => void;

  /** How many threads this process can run at once (the cores it may use). */
  readonly parallelism: number;
  /** Start a thread running `entry`; it waits for messages until terminated. */
  startThread(entry: ThreadEntry): WorkerThread;
  /** Inside a thread that startThread started: the channel to its parent; null in any other thread. */
  threadPort(): ThreadPort | null;

  listenUnix(path: string, onConnection: (connection: SocketConnection) => void): Promise<SocketServer>;
  connectUnix(path: string): Promise<SocketConnection>;
  /** Serve HTTP on a TCP host and port; resolves once it is listening. */
  serveHttp(options: { hostname: string; port: number; fetch: FetchHandler }): Promise<HttpServer>;

  /** Where a native library of the program is (throws, saying how to build it, when it is missing). */
  nativeLibrary(name: NativeLibrary): string;
  /** This process's memory, in bytes: resident, and the JavaScript heap in use (main thread). */
  memoryUsage(): { rss: number; heapUsed: number };
  /** Run `callback` after the I/O events already waiting (setImmediate): lets socket reads in between. */
  defer(callback: () => void): void;

  /** Whether the stream is a terminal (progress bars redraw in place only there). */
  isTerminal(stream: 'stdout' | 'stderr'): boolean;
  /** This process's standard input, chunk by chunk; ends when the other side closes it. */
  readStdin(): AsyncIterable<Uint8Array>;
  writeStdout(text: string): void;
  writeStderr(text: string): void;
  /** End the process. Only the entry point calls this. */
  exit(code: number): never;
}
