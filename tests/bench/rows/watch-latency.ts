import { spawn } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SETTLE_MS } from '../../../src/workers/indexer.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { median } from '../lib/measured-run.ts';
import { trackChild } from '../lib/scratch.ts';
import { type SearchSetup, timeSearch } from './one-shot-search.ts';

const EDITS = 9;
/** The file edited: a large module of the tree, so its reindexing is not trivially small. */
const EDITED = 'json/decoder.py';

/** What /status says of one worker's projects. */
async function projectsOf(url: string, service: string): Promise<Array<{ state: string }>> {
  const status = (await (await fetch(`${url}/status`)).json()) as { services: Array<{ name: string; details?: { projects?: Array<{ state: string }> } }> };
  return status.services.find((entry) => entry.name === service)?.details?.projects ?? [];
}

/**
 * With `serve --watch ROOT` running on the indexed data: one-shot `search` through the
 * running server's driver, then EDITS appends of a new function to one file, each timed
 * from the write until /search finds it. The indexer waits SETTLE_MS for a burst of
 * events to end; the figure of the goal is the time after that.
 */
export async function withServer(setup: SearchSetup & { root: string }) {
  const child = spawn(setup.executable, ['serve', '--data-dir', setup.data, '--port', '0', '--watch', setup.root], {
    cwd: setup.dir,
    env: setup.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise((resolve) => child.once('close', resolve));
  try {
    const url = await waitFor(() => /serving (http:\/\/\S+)/.exec(output)?.[1], { timeoutMs: 60_000, message: `serve to listen:\n${output}` });
    // The start-up scan of the tree (everything unchanged) is over before anything is timed.
    await waitFor(
      async () => (await projectsOf(url, 'worker-indexer'))[0]?.state === 'done',
      { timeoutMs: 120_000, message: 'the start-up scan' },
    );
    // And the vectorizer's first embedding of the whole tree (tens of seconds of CPU that
    // `index` left to it): the goal is the steady state of a server that watches.
    await waitFor(
      async () => {
        const projects = await projectsOf(url, 'worker-vectorizer');
        return projects.length > 0 && projects.every((project) => project.state === 'ready');
      },
      { timeoutMs: 300_000, intervalMs: 250, message: 'the vectorizer to catch up' },
    );
    const search = await timeSearch(setup);
    const file = join(setup.root, EDITED);
    const original = await readFile(file, 'utf8');
    const latencies: number[] = [];
    for (let n = 0; n < EDITS; n++) {
      const name = `bench_watch_marker_${n}`;
      const written = performance.now();
      await appendFile(file, `\n\ndef ${name}():\n    return ${n}\n`);
      await waitFor(
        async () => {
          const found = (await (await fetch(`${url}/search?q=${name}`)).json()) as { symbols: unknown[] };
          return found.symbols.length > 0;
        },
        { timeoutMs: 30_000, intervalMs: 2, message: `${name} to be searchable` },
      );
      latencies.push(performance.now() - written);
    }
    await writeFile(file, original);
    const p50 = median(latencies);
    return {
      search,
      watch: {
        edits: EDITS,
        edited_file: EDITED,
        settle_ms: SETTLE_MS,
        write_to_searchable_p50_ms: Math.round(p50),
        searchable_after_settle_p50_ms: Math.round(p50 - SETTLE_MS),
        write_to_searchable_ms: latencies.map(Math.round),
      },
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
