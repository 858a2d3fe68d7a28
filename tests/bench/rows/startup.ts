import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/paths.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { loadAverage } from '../lib/machine.ts';
import { progress } from '../lib/progress.ts';
import { trackChild } from '../lib/scratch.ts';

/** What `npm run build` leaves in build/out/ (build/paths.mjs): this row measures them, it does not build them. */
const OUT_DIR = join(REPO_ROOT, 'build/out');
const EXECUTABLE = join(OUT_DIR, `code-analysis-${process.platform}-${process.arch}`);
const BUNDLE = join(OUT_DIR, 'code-analysis.cjs');
/** Runs of each command per variant, after one unmeasured warm-up run (asset and page caches). */
const RUNS = 11;
/** Issue 12's goals for the executable. */
const GOALS_MS = { search_no_server: 400, search_with_server: 150 };

interface Run {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One command to its end, timed from spawn to exit. */
function timed(command: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file!, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout, stderr }));
  });
}

const round = (value: number) => Number(value.toFixed(1));
const percentile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))] ?? 0;

/** The newest source file, to tell when the executable predates the code it should measure. */
async function newestSourceMs(): Promise<number> {
  const files = (await readdir(join(REPO_ROOT, 'src'), { recursive: true })).map((name) => join(REPO_ROOT, 'src', name));
  const times = await Promise.all([...files, join(REPO_ROOT, 'config/default.json')].map(async (file) => (await stat(file)).mtimeMs));
  return Math.max(...times);
}

/**
 * One-shot commands' start-up (issue 12): p50 wall time of `--version`, `search` with no
 * server running (it starts and stops a transient driver, the executable again), and
 * `search` and `rpc ping` with a server running, for the single executable against `node`
 * running the same bundle, interleaved in the same run, on a small indexed project. Like
 * the smoke test, the commands get only PATH (an empty folder), HOME and the asset cache in
 * their environment: a caller's NODE_EXTRA_CA_CERTS, say, makes every Node start parse a
 * certificate file (30+ ms here) and would be measured instead of the program.
 */
export async function startup(dir: string) {
  const built = await stat(EXECUTABLE).catch(() => null);
  if (!built || !(await stat(BUNDLE).catch(() => null))) return { skipped: `no ${EXECUTABLE} or no ${BUNDLE}: run npm run build first` };
  const stale = built.mtimeMs < (await newestSourceMs());
  if (stale) progress('startup: the executable is older than src/: it measures the sources it was built from');

  const work = join(dir, 'work');
  const project = join(dir, 'py-sample');
  const empty = join(dir, 'empty-path');
  await Promise.all([mkdir(work, { recursive: true }), mkdir(empty, { recursive: true })]);
  await cp(join(REPO_ROOT, 'test_data/projects/py-sample'), project, { recursive: true });
  const env = { PATH: empty, HOME: dir, CODE_ANALYSIS_CACHE_DIR: join(dir, 'cache') };
  const variants = { executable: [EXECUTABLE], node_bundle: [process.execPath, BUNDLE] };
  /** A command that must succeed, and print `expected` when given: a failing command measures nothing. */
  const run = async (command: string[], expected?: string) => {
    const result = await timed(command, work, env);
    if (result.code !== 0 || (expected !== undefined && !result.stdout.includes(expected))) {
      throw new Error(`${command.join(' ')} exited ${result.code}${expected ? ` (expected ${JSON.stringify(expected)})` : ''}:\n${result.stdout}${result.stderr}`);
    }
    return result.ms;
  };

  const indexed = await run([EXECUTABLE, 'index', project]);
  progress(`startup: indexed ${project} (${round(indexed)} ms); ${RUNS} runs of each command per variant`);
  const loadAtStart = loadAverage();

  /** p50 of each variant, runs interleaved so both see the same load. */
  const series = async (args: string[], expected: string) => {
    const times: Record<keyof typeof variants, number[]> = { executable: [], node_bundle: [] };
    for (let i = 0; i <= RUNS; i++) {
      for (const [variant, command] of Object.entries(variants) as Array<[keyof typeof variants, string[]]>) {
        const ms = await run([...command, ...args], expected);
        if (i > 0) times[variant].push(ms);
      }
    }
    const executable = percentile(times.executable, 0.5);
    const nodeBundle = percentile(times.node_bundle, 0.5);
    return {
      executable_p50_ms: round(executable),
      node_bundle_p50_ms: round(nodeBundle),
      executable_min_ms: round(Math.min(...times.executable)),
      node_bundle_min_ms: round(Math.min(...times.node_bundle)),
      ratio: Number((executable / nodeBundle).toFixed(2)),
    };
  };

  const version = await series(['--version'], 'code-analysis');
  const searchNoServer = await series(['search', 'Circle'], 'class    Circle');

  const serve = spawn(EXECUTABLE, ['serve', '--port', '0', '--log-level', 'warn'], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(serve);
  let banner = '';
  serve.stdout.on('data', (chunk: Buffer) => (banner += chunk));
  serve.stderr.resume();
  const serveExited = new Promise((resolve) => serve.once('exit', resolve));
  try {
    await waitFor(() => banner.includes('serving http'), { timeoutMs: 60_000, message: 'serve to print where it listens' });
    const searchWithServer = await series(['search', 'Circle'], 'class    Circle');
    const pingWithServer = await series(['rpc', 'ping'], '"pong": true');
    return {
      executable: EXECUTABLE,
      executable_mib: round(built.size / 2 ** 20),
      stale,
      runs: RUNS,
      load_average: { start: loadAtStart, end: loadAverage() },
      version,
      search_no_server: { ...searchNoServer, goal_ms: GOALS_MS.search_no_server },
      search_with_server: { ...searchWithServer, goal_ms: GOALS_MS.search_with_server },
      rpc_ping_with_server: pingWithServer,
    };
  } finally {
    serve.kill('SIGTERM');
    await serveExited;
  }
}
