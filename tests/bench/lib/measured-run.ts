import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { trackChild } from './scratch.ts';

export interface MeasuredRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident memory (VmHWM) of the command's own process, threads included, in MB. */
  peak_rss_mb: number;
  /** The same of the process whose PID file `childPidFile` names (the transient driver), or null. */
  child_peak_rss_mb: number | null;
  /** CPU time of the command and the children it waited for (all threads), as last seen in /proc: a figure the machine's load barely changes. */
  cpu_s: number;
}

/** User and system CPU seconds of a process, its threads and its waited-for children (clock ticks of 1/100 s). */
async function cpuSeconds(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields.length < 17) return null;
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
}

/** A process's peak resident set so far (kB), or 0 once it is gone. */
async function highWaterKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0);
}

const POLL_MS = 20;

/**
 * Run a command to its end, timing it and following its peak memory (and its child's,
 * found through a PID file) from /proc while it runs: the peak is kept by the kernel, so
 * polling loses at most the last few milliseconds.
 */
export async function measuredRun(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; childPidFile?: string }): Promise<MeasuredRun> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  let ended = false;
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => ((ended = true), resolve(code))));
  let peak = 0;
  let childPeak: number | null = null;
  let childPid: number | null = null;
  let cpu = 0;
  while (!ended) {
    peak = Math.max(peak, await highWaterKb(child.pid!));
    cpu = (await cpuSeconds(child.pid!)) ?? cpu;
    if (options.childPidFile) {
      childPid ??= Number((await readFile(options.childPidFile, 'utf8').catch(() => '')).trim()) || null;
      if (childPid) childPeak = Math.max(childPeak ?? 0, await highWaterKb(childPid));
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, POLL_MS))]);
  }
  const code = await exited;
  const mb = (kb: number) => Number((kb / 1024).toFixed(1));
  return {
    code,
    stdout,
    stderr,
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    peak_rss_mb: mb(peak),
    child_peak_rss_mb: childPeak === null ? null : mb(childPeak),
    cpu_s: cpu,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
