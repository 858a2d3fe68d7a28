import { createWriteStream, readFile as readFileWithCallback } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnection, createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { setImmediate } from 'node:timers';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { assetCacheRoot, extractedAssets, seaAssetReader } from './embedded-assets.ts';
import { makeDirectories } from './node-mkdir.ts';
import { wrapSocket } from './node-socket.ts';
import { nodeNativeLibrary, nodeThreadPort, startNodeThread } from './node-threads.ts';
import { watchTree } from './node-tree-watch.ts';
import type { ChildProcess, EmbeddedAssets, FileSystem, HttpServer, Runtime, SpawnOptions } from './types.ts';

const fs: FileSystem = {
  readText: (path) => readFile(path, 'utf8'),
  async writeFileAtomic(path, data, mode = 0o644) {
    const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, data, { mode });
    await rename(temp, path);
  },
  rename: (from, to) => rename(from, to),
  async mkdir(path, options) {
    if (options?.recursive) await makeDirectories(path, options.mode);
    else await mkdir(path, { mode: options?.mode });
  },
  rm: (path, options) => rm(path, { force: true, recursive: options?.recursive ?? false }),
  chmod: (path, mode) => chmod(path, mode),
  async exists(path) {
    return (await this.mode(path)) !== null;
  },
  async mode(path) {
    try {
      return (await stat(path)).mode & 0o7777;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  makeTempDir: (prefix) => mkdtemp(join(tmpdir(), prefix)),
  readDir: (path) => readdir(path),
  async stat(path) {
    try {
      const info = await lstat(path);
      return { size: info.size, mtimeMs: info.mtimeMs, isFile: info.isFile(), isDirectory: info.isDirectory(), isSymlink: info.isSymbolicLink() };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  // The callback API: fs/promises' readFile costs about twice the CPU per file (a FileHandle, a round trip per step), paid on every file indexing reads.
  readBytes: (path) => new Promise((resolve, reject) => readFileWithCallback(path, (error, bytes) => (error ? reject(error) : resolve(bytes)))),
  async realpath(path) {
    try {
      return await realpath(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  watch: (path, onChange, onError = () => undefined) => watchTree(path, onChange, onError),
  openAppend(path, mode = 0o644) {
    return new Promise((resolveOpen, rejectOpen) => {
      const stream = createWriteStream(path, { flags: 'a', mode });
      stream.once('error', rejectOpen);
      stream.once('open', () => {
        stream.off('error', rejectOpen);
        // A failing log disk must not crash the process that logs to it.
        stream.on('error', () => undefined);
        resolveOpen({
          write: (text) => {
            if (stream.writable) stream.write(text);
          },
          close: () => new Promise((resolveClose) => stream.end(() => resolveClose())),
        });
      });
    });
  },
};

async function serveHttp(options: Parameters<Runtime['serveHttp']>[0]): Promise<HttpServer> {
  // Loaded here, not at the top: it pulls in node:http2, tls and undici, which cost every
  // one-shot command tens of milliseconds of start-up and only serve needs.
  const { createAdaptorServer } = await import('@hono/node-server');
  return new Promise((resolveListen, rejectListen) => {
    const server = createAdaptorServer({ fetch: options.fetch, hostname: options.hostname }) as Server;
    server.once('error', rejectListen);
    server.listen(options.port, options.hostname, () => {
      server.off('error', rejectListen);
      resolveListen({
        hostname: options.hostname,
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise((resolveClose) => {
            // close() waits for open connections; idle keep-alive ones would hold it forever.
            server.close(() => resolveClose());
            server.closeIdleConnections();
          }),
      });
    });
  });
}

/** How this program was started: the executable (SEA), a built bundle, or the sources via tsx. */
function selfCommand(): string[] {
  const entry = process.argv[1];
  if (isSingleExecutable() || !entry) return [process.execPath];
  if (entry.endsWith('.ts')) {
    // Sources: go through the bin script, which registers the TypeScript loader.
    const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/code-analysis.js');
    return [process.execPath, bin];
  }
  return [process.execPath, entry];
}

function isSingleExecutable(): boolean {
  const sea = (process as unknown as { getBuiltinModule?: (id: string) => { isSea?: () => boolean } | undefined })
    .getBuiltinModule?.('node:sea');
  return sea?.isSea?.() ?? false;
}

function spawn(command: string[], options: SpawnOptions = {}): ChildProcess {
  const [file, ...args] = command;
  if (!file) throw new Error('spawn: empty command');
  // Loaded on first use: node:child_process costs each start about 5 ms, and most
  // processes (a driver, a one-shot command that finds the server) never spawn.
  const { spawn: spawnChild } = builtin<typeof import('node:child_process')>('node:child_process');
  const child = spawnChild(file, args, {
    cwd: options.cwd,
    env: options.env ?? inheritedEnv(options.withoutEnv),
    stdio: ['ignore', options.stdout ?? 'inherit', options.stderr ?? 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
    child.once('error', () => resolveExit({ code: null, signal: null }));
  });
  return {
    pid: child.pid ?? -1,
    exited,
    stdout: child.stdout,
    stderr: child.stderr,
    kill: (signal = 'SIGTERM') => {
      child.kill(signal);
    },
  };
}

// A child whose supervisor died writes into a broken pipe: that output has nowhere to go,
// and the EPIPE must not crash the process before it has shut down in order.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

export const nodeRuntime: Runtime = {
  name: 'node',
  version: isSingleExecutable() ? `${process.versions.node}, single executable` : process.versions.node,
  pid: process.pid,
  hasNodeSqlite: hasBuiltin('node:sqlite'),
  fs,
  args: () => process.argv.slice(2),
  env: (name) => process.env[name],
  cwd: () => process.cwd(),
  selfCommand,
  spawn,
  parallelism: availableParallelism(),
  startThread: (entry) => startNodeThread(entry, loadEmbeddedAssets()),
  threadPort: nodeThreadPort,
  isPidAlive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  kill(pid, signal) {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  },
  onSignal(signal, listener) {
    process.on(signal, listener);
    return () => {
      process.off(signal, listener);
    };
  },
  listenUnix(path, onConnection) {
    return new Promise((resolveListen, rejectListen) => {
      const server = createServer((socket) => onConnection(wrapSocket(socket)));
      server.once('error', rejectListen);
      server.listen(path, () => {
        server.off('error', rejectListen);
        resolveListen({
          path,
          // server.close() stops listening at once but calls back only when every
          // connection has ended; callers close those themselves, so don't wait for it.
          close: async () => {
            server.close();
          },
        });
      });
    });
  },
  connectUnix(path) {
    return new Promise((resolveConnect, rejectConnect) => {
      const socket = createConnection(path);
      socket.once('error', rejectConnect);
      socket.once('connect', () => {
        socket.off('error', rejectConnect);
        resolveConnect(wrapSocket(socket));
      });
    });
  },
  serveHttp,
  nativeLibrary: (name) => nodeNativeLibrary(name, loadEmbeddedAssets()),
  defer: (callback) => {
    setImmediate(callback);
  },
  memoryUsage: () => {
    const { rss, heapUsed } = process.memoryUsage();
    return { rss, heapUsed };
  },
  isTerminal: (stream) => Boolean(process[stream].isTTY),
  readStdin: () => process.stdin,
  writeStdout: (text) => {
    process.stdout.write(text);
  },
  writeStderr: (text) => {
    process.stderr.write(text);
  },
  exit: (code) => process.exit(code),
};

let embedded: EmbeddedAssets | null | undefined;

/** Inside the single executable, its files (extracted and verified on first use); null otherwise. */
export function loadEmbeddedAssets(): EmbeddedAssets | null {
  if (embedded === undefined) {
    const read = seaAssetReader();
    embedded = read && extractedAssets(read, assetCacheRoot((name) => process.env[name]));
  }
  return embedded;
}

function inheritedEnv(without: string[] = []): NodeJS.ProcessEnv {
  if (without.length === 0) return process.env;
  const env = { ...process.env };
  for (const name of without) delete env[name];
  return env;
}

function builtin<T>(id: string): T {
  return (process as unknown as { getBuiltinModule: (id: string) => T }).getBuiltinModule(id);
}

function hasBuiltin(id: string): boolean {
  const builtins = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (!builtins) return false;
  try {
    return builtins(id) !== undefined;
  } catch {
    return false;
  }
}
