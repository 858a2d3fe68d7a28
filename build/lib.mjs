// Helpers for smoke.mjs and measure.mjs: start the program as a real child, wait with deadlines, see its process tree.
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.mjs';

/** Poll `check` until it returns something other than undefined/false, or fail after `timeoutMs`. */
export async function waitFor(check, { timeoutMs = 60_000, intervalMs = 50, what }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * A scratch directory for one run: `work/` (empty, the working directory), `home/` (HOME,
 * so the asset cache lands here), `bin/` (an empty PATH: no node, deno or npx) and
 * `py-sample/` (a copy of the fixture project to index).
 */
export async function scratch(prefix) {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const dirs = { root, work: join(root, 'work'), home: join(root, 'home'), bin: join(root, 'bin'), project: join(root, 'py-sample') };
  await Promise.all([dirs.work, dirs.home, dirs.bin].map((dir) => mkdir(dir)));
  await cp(join(REPO_ROOT, 'test_data/projects/py-sample'), dirs.project, { recursive: true });
  return dirs;
}

/** Start a command with output collected; `exited` resolves with { code, signal }. */
export function start(command, args, { cwd, env }) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const run = { child, pid: child.pid, stdout: '', stderr: '', exit: null };
  child.stdout.on('data', (chunk) => (run.stdout += chunk));
  child.stderr.on('data', (chunk) => (run.stderr += chunk));
  run.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve((run.exit = { code, signal }))));
  return run;
}

/** Run a command to its end. */
export async function runToEnd(command, args, options) {
  const run = start(command, args, options);
  await run.exited;
  return run;
}

/** The URL from serve's banner, once it has printed it. */
export function serveUrl(run, timeoutMs = 60_000) {
  return waitFor(
    () => {
      if (run.exit) throw new Error(`serve exited early (${JSON.stringify(run.exit)}):\n${run.stdout}\n${run.stderr}`);
      return /serving (http:\/\/\S+)/.exec(run.stdout)?.[1];
    },
    { timeoutMs, what: 'serve to print where it listens' },
  );
}

export const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/** Pids of the live processes whose executable is `file` (Linux /proc). */
export async function processesOf(file) {
  const pids = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (await readlink(`/proc/${entry}/exe`).then((exe) => exe === file, () => false)) pids.push(Number(entry));
  }
  return pids;
}

/** `pid` and all its descendants (Linux /proc). */
export async function processTree(pid) {
  const children = new Map();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(Number(entry));
  }
  const tree = [];
  const visit = (p) => {
    tree.push(p);
    for (const child of children.get(p) ?? []) visit(child);
  };
  visit(pid);
  return tree;
}
