import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { startServe, testConfig } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

interface ProjectProgress {
  root: string;
  state: string;
  indexed: number;
  seen: number;
  finished_at: string | null;
}

it('kill -9 of the driver in the middle of indexing leaves no file half-indexed, and the next scan completes the rest', async () => {
  const dir = await makeTempDir();
  const root = join(dir, 'tree');
  await cp(join(REPO_ROOT, 'node_modules/hono/dist'), root, { recursive: true });
  const config = testConfig({ workers: { maintenance: { enabled: false }, indexer: { scan_interval_ms: 3_600_000 } } });
  const serve = await startServe({ dir, config, args: ['--watch', root] });
  const progress = async () => ((await serve.service('worker-indexer')).details.projects as ProjectProgress[] | undefined)?.[0];

  await waitFor(async () => ((await progress())?.indexed ?? 0) >= 50, { message: 'the scan to be under way' });
  const driver = await serve.service('driver');
  expect((await progress())?.state).toBe('scanning');
  nodeRuntime.kill(driver.pid!, 'SIGKILL');

  // The scan is cut short, the driver comes back, and a later scan finishes the tree.
  const done = await waitFor(
    async () => {
      const current = await progress();
      return current?.state === 'done' ? current : undefined;
    },
    { timeoutMs: 90_000, message: 'a complete scan after the restart' },
  );
  expect((await serve.service('driver')).restarts).toBe(1);

  const { projects } = (await (await serve.get('/projects')).json()) as { projects: Array<{ id: number }> };
  const { files } = (await (await serve.get(`/projects/${projects[0]!.id}/files`)).json()) as { files: Array<{ path: string }> };
  expect(files.length).toBe(done.seen);
  const parser = createSourceParser();
  const incomplete: string[] = [];
  for (const file of files) {
    const language = parser.languageOf(file.path)!;
    const expected = (await parser.parse(await readFile(join(root, file.path), 'utf8'), language)).symbols.length;
    const response = await serve.get(`/projects/${projects[0]!.id}/symbols?path=${encodeURIComponent(file.path)}`);
    const { symbols } = (await response.json()) as { symbols: unknown[] };
    if (symbols.length !== expected) incomplete.push(`${file.path}: ${symbols.length} of ${expected}`);
  }
  expect(incomplete).toEqual([]);
});
