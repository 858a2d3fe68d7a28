import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languageOf } from '../../src/analysis/languages.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { type ServeHandle, startServe, testConfig } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

interface ProjectProgress {
  root: string;
  state: string;
  indexed: number;
  seen: number;
  finished_at: string | null;
}

type StoredSymbol = { name: string; kind: string; qualified_name: string; line_start: number; line_end: number };
const comparable = ({ name, kind, qualified_name, line_start, line_end }: StoredSymbol) => `${line_start}-${line_end} ${kind} ${qualified_name} ${name}`;

/** Every file of the tree is stored, each with exactly the symbols of its content: none half-written. */
async function expectEveryFileWhole(serve: ServeHandle, root: string, seen: number): Promise<void> {
  const { projects } = (await (await serve.get('/projects')).json()) as { projects: Array<{ id: number }> };
  const { files } = (await (await serve.get(`/projects/${projects[0]!.id}/files`)).json()) as { files: Array<{ path: string }> };
  expect(files.length).toBe(seen);
  const parser = createSourceParser();
  const incomplete: string[] = [];
  for (const file of files) {
    const expected = (await parser.parse(await readFile(join(root, file.path), 'utf8'), languageOf(file.path)!)).symbols.map(comparable).sort();
    const response = await serve.get(`/projects/${projects[0]!.id}/symbols?path=${encodeURIComponent(file.path)}`);
    const stored = ((await response.json()) as { symbols: StoredSymbol[] }).symbols.map(comparable).sort();
    if (JSON.stringify(stored) !== JSON.stringify(expected)) incomplete.push(`${file.path}: ${stored.length} symbols stored of ${expected.length}`);
  }
  expect(incomplete).toEqual([]);
}

/** serve --watch on a copy of a real tree (hono's build, 500+ files), with the scan under way. */
async function indexingUnderWay() {
  const dir = await makeTempDir();
  const root = join(dir, 'tree');
  await cp(join(REPO_ROOT, 'node_modules/hono/dist'), root, { recursive: true });
  const config = testConfig({ workers: { maintenance: { enabled: false }, indexer: { scan_interval_ms: 3_600_000 } } });
  const serve = await startServe({ dir, config, args: ['--watch', root] });
  const progress = async () => ((await serve.service('worker-indexer')).details.projects as ProjectProgress[] | undefined)?.[0];
  // A first batch stored, more to come.
  await waitFor(async () => ((await progress())?.indexed ?? 0) > 0, { message: 'the scan to be under way' });
  expect((await progress())?.state).toBe('scanning');
  const finished = () =>
    waitFor(
      async () => {
        const current = await progress();
        return current?.state === 'done' ? current : undefined;
      },
      { timeoutMs: 90_000, message: 'a complete scan after the restart' },
    );
  return { serve, root, finished };
}

describe('kill -9 in the middle of indexing', () => {
  it('of the driver: no file is left half-indexed, and the next scan completes the rest', async () => {
    const { serve, root, finished } = await indexingUnderWay();
    const driver = await serve.service('driver');
    nodeRuntime.kill(driver.pid!, 'SIGKILL');
    // The scan is cut short, the driver comes back, and a later scan finishes the tree.
    const done = await finished();
    expect((await serve.service('driver')).restarts).toBe(1);
    await expectEveryFileWhole(serve, root, done.seen);
  });

  it('of the indexer worker, its parse threads with it: the restarted worker completes the tree, every file whole', async () => {
    const { serve, root, finished } = await indexingUnderWay();
    const worker = await serve.service('worker-indexer');
    nodeRuntime.kill(worker.pid!, 'SIGKILL');
    await waitFor(async () => (await serve.service('worker-indexer')).restarts === 1, { timeoutMs: 30_000, message: 'the worker restarted' });
    const done = await finished();
    await expectEveryFileWhole(serve, root, done.seen);
  });
});
