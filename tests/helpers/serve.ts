import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runPaths, type RunPaths } from '../../src/config/run-paths.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { ChildProcess } from '../../src/runtime/types.ts';
import type { ServiceStatus, SupervisorStatus } from '../../src/supervisor/types.ts';
import { deferCleanup } from './cleanup.ts';
import { BIN, DENO, REPO_ROOT } from './paths.ts';
import { makeTempDir } from './temp-dir.ts';
import { waitFor } from './wait-for.ts';

/** A config for tests: fast health checks, patient starts, no periodic maintenance and no vectorizer unless asked. */
export function testConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = {
    server: { port: 0 },
    workers: {
      maintenance: { enabled: true, backup_interval_ms: 3_600_000, optimize_interval_ms: 3_600_000, checkpoint_interval_ms: 3_600_000 },
      // One more process in every server: only the tests of semantic search ask for it.
      vectorizer: { enabled: false },
    },
    supervisor: { health_interval_ms: 200, ping_timeout_ms: 2_000, max_missed_pings: 3, start_timeout_ms: 30_000, stop_timeout_ms: 10_000 },
    log: { level: 'debug' },
  };
  return merge(base, overrides);
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

export interface ServeSetup {
  /** Reuse this directory (its config and data) instead of a new one. */
  dir?: string;
  /** The config file written as <dir>/code-analysis.json (default: testConfig()). */
  config?: Record<string, unknown>;
  args?: string[];
  runtime?: 'node' | 'deno';
  /** Do not wait for the banner (for starts expected to fail). */
  noWait?: boolean;
}

export interface RpcOverHttp {
  result?: unknown;
  error?: { code: number; message: string };
}

export interface ServeHandle {
  dir: string;
  configFile: string;
  paths: RunPaths;
  child: ChildProcess;
  /** The HTTP base URL from the banner. */
  url: string;
  exited: Promise<{ code: number | null; signal: string | null }>;
  stdout(): string;
  stderr(): string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  rpc(method: string, params?: Record<string, unknown>): Promise<RpcOverHttp>;
  status(): Promise<SupervisorStatus>;
  service(name: string): Promise<ServiceStatus>;
}

/** The `code-analysis` command line for the chosen runtime. */
export function cliCommand(runtime: 'node' | 'deno' = 'node'): string[] {
  return runtime === 'deno'
    ? [DENO, 'run', '-A', '--config', join(REPO_ROOT, 'deno.json'), join(REPO_ROOT, 'src/main.ts')]
    : [process.execPath, BIN];
}

/** Start `code-analysis serve` as a real child on a temp data dir and wait until it prints where it listens. */
export async function startServe(setup: ServeSetup = {}): Promise<ServeHandle> {
  const dir = setup.dir ?? (await makeTempDir());
  const configFile = join(dir, 'code-analysis.json');
  if (setup.config || !setup.dir) await writeFile(configFile, JSON.stringify(setup.config ?? testConfig(), null, 2));
  const child = nodeRuntime.spawn([...cliCommand(setup.runtime), 'serve', '--config', configFile, ...(setup.args ?? [])], {
    cwd: dir,
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  const collect = async (stream: AsyncIterable<Uint8Array> | null, add: (text: string) => void) => {
    for await (const chunk of stream ?? []) add(new TextDecoder().decode(chunk));
  };
  void collect(child.stdout, (text) => (stdout += text));
  void collect(child.stderr, (text) => (stderr += text));
  let exit: { code: number | null; signal: string | null } | undefined;
  const exited = child.exited.then((result) => (exit = result));
  deferCleanup(async () => {
    if (!exit) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 20_000))]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  });
  let url = '';
  if (!setup.noWait) {
    url = await waitFor(
      () => {
        if (exit) throw new Error(`serve exited early (${JSON.stringify(exit)}):\n${stdout}\n${stderr}`);
        return /serving (http:\/\/\S+)/.exec(stdout)?.[1];
      },
      { timeoutMs: 60_000, message: 'serve to print where it listens' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    });
  }
  const paths = runPaths({ data_dir: join(dir, 'data') });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { headers });
  const handle: ServeHandle = {
    dir,
    configFile,
    paths,
    child,
    url,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    get,
    async rpc(method, params) {
      const response = await fetch(`${url}/rpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
      return (await response.json()) as RpcOverHttp;
    },
    async status() {
      return (await (await get('/status')).json()) as SupervisorStatus;
    },
    async service(name) {
      const found = (await handle.status()).services.find((service) => service.name === name);
      if (!found) throw new Error(`no service ${name}`);
      return found;
    },
  };
  return handle;
}
