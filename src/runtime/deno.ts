/// <reference lib="deno.ns" />
import { setImmediate } from 'node:timers';
import { wrapConn } from './deno-socket.ts';
import { denoNativeLibrary, denoThreadPort, startDenoThread } from './deno-threads.ts';
import type { ChildProcess, FileSystem, HttpServer, Runtime, SpawnOptions } from './types.ts';

async function statMode(path: string): Promise<number | null> {
  try {
    return (await Deno.stat(path)).mode! & 0o7777;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

const fs: FileSystem = {
  readText: (path) => Deno.readTextFile(path),
  async writeFileAtomic(path, data, mode = 0o644) {
    const temp = `${path}.${Deno.pid}.${Date.now()}.tmp`;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    await Deno.writeFile(temp, bytes, { mode });
    await Deno.rename(temp, path);
  },
  rename: (from, to) => Deno.rename(from, to),
  async mkdir(path, options) {
    try {
      await Deno.mkdir(path, { recursive: options?.recursive ?? false, mode: options?.mode });
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
  },
  async rm(path, options) {
    try {
      await Deno.remove(path, { recursive: options?.recursive ?? false });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  },
  chmod: (path, mode) => Deno.chmod(path, mode),
  exists: async (path) => (await statMode(path)) !== null,
  mode: statMode,
  makeTempDir: (prefix) => Deno.makeTempDir({ prefix }),
  async readDir(path) {
    const names: string[] = [];
    for await (const entry of Deno.readDir(path)) names.push(entry.name);
    return names;
  },
  async stat(path) {
    try {
      const info = await Deno.lstat(path);
      return { size: info.size, mtimeMs: info.mtime?.getTime() ?? 0, isFile: info.isFile, isDirectory: info.isDirectory, isSymlink: info.isSymlink };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  },
  readBytes: (path) => Deno.readFile(path),
  async realpath(path) {
    try {
      return await Deno.realPath(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  },
  watch(path, onChange, onError = () => undefined) {
    const watcher = Deno.watchFs(path, { recursive: true });
    let closed = false;
    (async () => {
      try {
        for await (const event of watcher) for (const changed of event.paths) onChange(changed);
      } catch (error) {
        // The watch is over (a vanished root, a watch limit): the caller counts it and watches again.
        if (!closed) onError(error as Error);
      }
    })();
    return () => {
      closed = true;
      watcher.close();
    };
  },
  async openAppend(path, mode = 0o644) {
    const file = await Deno.open(path, { append: true, create: true, mode });
    const encoder = new TextEncoder();
    let writing: Promise<unknown> = Promise.resolve();
    return {
      write(text) {
        const data = encoder.encode(text);
        // A failing log disk must not crash the process that logs to it.
        writing = writing.then(() => file.write(data)).catch(() => undefined);
      },
      async close() {
        await writing;
        file.close();
      },
    };
  },
};

function spawn(command: string[], options: SpawnOptions = {}): ChildProcess {
  const [file, ...args] = command;
  if (!file) throw new Error('spawn: empty command');
  const stdio = (mode: SpawnOptions['stdout']) => (mode === 'pipe' ? 'piped' : mode === 'ignore' ? 'null' : 'inherit');
  const inherited = (without: string[]) => Object.fromEntries(Object.entries(Deno.env.toObject()).filter(([name]) => !without.includes(name)));
  const env = options.env ?? (options.withoutEnv?.length ? inherited(options.withoutEnv) : undefined);
  const child = new Deno.Command(file, {
    args,
    cwd: options.cwd,
    env,
    clearEnv: env !== undefined,
    stdin: 'null',
    stdout: stdio(options.stdout),
    stderr: stdio(options.stderr),
  }).spawn();
  return {
    pid: child.pid,
    exited: child.status.then((status) => ({ code: status.signal ? null : status.code, signal: status.signal })),
    stdout: options.stdout === 'pipe' ? child.stdout : null,
    stderr: options.stderr === 'pipe' ? child.stderr : null,
    kill: (signal = 'SIGTERM') => {
      try {
        child.kill(signal);
      } catch {
        // already exited
      }
    },
  };
}

function writeAllSync(stream: { writeSync(data: Uint8Array): number }, text: string): void {
  const data = new TextEncoder().encode(text);
  let offset = 0;
  try {
    while (offset < data.length) offset += stream.writeSync(data.subarray(offset));
  } catch (error) {
    // A child whose supervisor died writes into a broken pipe: the output has nowhere to go,
    // and the error must not stop the process from shutting down in order.
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

export const denoRuntime: Runtime = {
  name: 'deno',
  version: Deno.version.deno,
  pid: Deno.pid,
  hasNodeSqlite: true,
  fs,
  args: () => [...Deno.args],
  env: (name) => Deno.env.get(name),
  cwd: () => Deno.cwd(),
  selfCommand: () => [
    Deno.execPath(),
    'run',
    '-A',
    '--config',
    new URL('../../deno.json', import.meta.url).pathname,
    new URL('../main.ts', import.meta.url).pathname,
  ],
  spawn,
  parallelism: navigator.hardwareConcurrency,
  startThread: startDenoThread,
  threadPort: denoThreadPort,
  isPidAlive(pid) {
    try {
      Deno.kill(pid, 0 as unknown as Deno.Signal);
      return true;
    } catch (error) {
      return error instanceof Deno.errors.PermissionDenied;
    }
  },
  kill(pid, signal) {
    try {
      Deno.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  },
  onSignal(signal, listener) {
    Deno.addSignalListener(signal, listener);
    return () => Deno.removeSignalListener(signal, listener);
  },
  async listenUnix(path, onConnection) {
    const listener = Deno.listen({ transport: 'unix', path });
    let open = true;
    (async () => {
      try {
        for await (const conn of listener) onConnection(wrapConn(conn));
      } catch (error) {
        if (open) throw error;
      }
    })();
    return {
      path,
      close: async () => {
        open = false;
        listener.close();
      },
    };
  },
  async connectUnix(path) {
    return wrapConn(await Deno.connect({ transport: 'unix', path }));
  },
  serveHttp({ hostname, port, fetch }) {
    return new Promise<HttpServer>((resolveListen, rejectListen) => {
      try {
        const server = Deno.serve(
          {
            hostname,
            port,
            onListen: (address) => resolveListen({ hostname, port: (address as Deno.NetAddr).port, close: () => server.shutdown() }),
          },
          fetch,
        );
      } catch (error) {
        rejectListen(error);
      }
    });
  },
  nativeLibrary: denoNativeLibrary,
  defer: (callback) => {
    setImmediate(callback);
  },
  memoryUsage: () => {
    const { rss, heapUsed } = Deno.memoryUsage();
    return { rss, heapUsed };
  },
  isTerminal: (stream) => (stream === 'stdout' ? Deno.stdout : Deno.stderr).isTerminal(),
  readStdin: () => Deno.stdin.readable,
  writeStdout: (text) => writeAllSync(Deno.stdout, text),
  writeStderr: (text) => writeAllSync(Deno.stderr, text),
  exit: (code) => Deno.exit(code),
};
