#!/usr/bin/env node
// Numbers for the executable (run `npm run build` first): its size; cold start of `serve`
// to the first /health 200, median of N runs, against `node` running the same bundle; and
// the resident memory of the whole idle process tree (serve, driver, workers).
// Usage: node build/measure.mjs [runs=5]
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE, EXECUTABLE } from './paths.mjs';
import { processTree, scratch, serveUrl, start, waitFor } from './lib.mjs';

const RUNS = Number(process.argv[2] ?? 5);
const IDLE_SETTLE_MS = 2_000;

/** Resident and proportional (shared pages split between their users) set size, in kB. */
async function memoryKb(pid) {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
  return { rss: field('Rss'), pss: field('Pss') };
}

/** One cold start in a fresh data directory: ms to /health 200, then the idle tree's memory once the sample project is indexed. */
async function once(command, args, cache) {
  const dirs = await scratch('ca-measure-');
  const env = { PATH: `${dirs.bin}:${process.env.PATH}`, HOME: dirs.home, CODE_ANALYSIS_CACHE_DIR: cache };
  const began = performance.now();
  const serve = start(command, [...args, 'serve', '--port', '0', '--watch', dirs.project], { cwd: dirs.work, env });
  try {
    const url = await serveUrl(serve);
    await waitFor(async () => (await fetch(`${url}/health`)).status === 200, { intervalMs: 5, what: '/health 200' });
    const startMs = performance.now() - began;
    await waitFor(
      async () => {
        const { services } = await (await fetch(`${url}/status`)).json();
        const projects = services.find((service) => service.name === 'worker-indexer')?.details?.projects ?? [];
        return services.every((service) => service.state === 'running') && projects[0]?.state === 'done';
      },
      { what: 'every service running and the sample project indexed' },
    );
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    const tree = await processTree(serve.pid);
    const memory = await Promise.all(tree.map(memoryKb));
    const total = (key) => memory.reduce((sum, kb) => sum + kb[key], 0) / 1024;
    return { startMs, rssMb: total('rss'), pssMb: total('pss'), processes: tree.length };
  } finally {
    serve.child.kill('SIGTERM');
    await serve.exited;
    await rm(dirs.root, { recursive: true, force: true });
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function series(label, command, args, cache) {
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await once(command, args, cache));
  const of = (key) => median(runs.map((run) => run[key]));
  const result = { label, startMs: of('startMs'), rssMb: of('rssMb'), pssMb: of('pssMb'), processes: runs[0].processes };
  console.log(
    `${label}: cold start to /health 200 ${result.startMs.toFixed(0)} ms (median of ${RUNS}: ${runs.map((run) => run.startMs.toFixed(0)).join(', ')}); ` +
      `idle tree of ${result.processes} processes: RSS ${result.rssMb.toFixed(1)} MiB, PSS ${result.pssMb.toFixed(1)} MiB`,
  );
  return result;
}

const cache = join((await scratch('ca-measure-cache-')).root, 'cache');
console.log(`executable: ${EXECUTABLE} (${((await stat(EXECUTABLE)).size / 1024 / 1024).toFixed(1)} MiB)`);
const empty = await once(EXECUTABLE, [], cache);
console.log(`executable, first start (empty asset cache): ${empty.startMs.toFixed(0)} ms to /health 200`);
const exe = await series('executable (asset cache filled)', EXECUTABLE, [], cache);
const bundle = await series('node + bundle', process.execPath, [BUNDLE], cache);
console.log(`ratio executable / node+bundle: start ${(exe.startMs / bundle.startMs).toFixed(2)}, idle RSS ${(exe.rssMb / bundle.rssMb).toFixed(2)}, idle PSS ${(exe.pssMb / bundle.pssMb).toFixed(2)}`);
await rm(join(cache, '..'), { recursive: true, force: true });
