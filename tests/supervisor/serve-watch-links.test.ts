import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { type ServeHandle, startServe, testConfig } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

interface IndexerDetails {
  projects: Array<{ root: string; state: string; seen: number; skipped: number; finished_at: string | null }>;
  watch_errors: number;
  last_watch_error: string | null;
}

const details = async (serve: ServeHandle) => (await serve.service('worker-indexer')).details as unknown as IndexerDetails;
const found = async (serve: ServeHandle, name: string) =>
  ((await (await serve.get(`/search?q=${name}`)).json()) as { symbols: Array<{ name: string }> }).symbols.some((symbol) => symbol.name === name);

/**
 * Issue 14, case 8 (the watcher and file names): symbolic link cycles in a watched tree
 * leave the file watcher working, and a file whose name is not UTF-8 is counted in the
 * scan, not dropped in silence. Periodic rescans are an hour apart: what is indexed here
 * comes from file events.
 */
it('keeps watching through symbolic link cycles and counts a file name that is not UTF-8', async () => {
  const dir = await makeTempDir();
  const root = join(dir, 'project');
  await mkdir(join(root, 'pkg'), { recursive: true });
  await writeFile(join(root, 'alpha.py'), 'class Alpha:\n    pass\n');
  const config = testConfig({ workers: { maintenance: { enabled: false }, indexer: { scan_interval_ms: 3_600_000 } } });
  const serve = await startServe({ dir, config, args: ['--watch', root] });
  await waitFor(async () => (await details(serve)).projects[0]?.state === 'done', { timeoutMs: 30_000, message: 'the first scan' });
  expect(await found(serve, 'Alpha')).toBe(true);

  await symlink('..', join(root, 'pkg', 'up'));
  await symlink('loop-b', join(root, 'loop-a'));
  await symlink('loop-a', join(root, 'loop-b'));
  await writeFile(Buffer.from(`${root}/odd-\xff-name.py`, 'latin1'), 'class Odd:\n    pass\n');
  await writeFile(join(root, 'pkg', 'beta.py'), 'class Beta:\n    pass\n');
  await waitFor(() => found(serve, 'Beta'), { timeoutMs: 30_000, message: 'Beta indexed from a file event' });
  const after = await waitFor(
    async () => {
      const current = await details(serve);
      return current.projects[0]?.state === 'done' && current.projects[0].skipped >= 1 ? current : undefined;
    },
    { message: 'the scan to count the undecodable name' },
  );
  expect(after.watch_errors).toBe(0);

  // Later edits still arrive by events, and what was indexed before is all there.
  await writeFile(join(root, 'pkg', 'gamma.py'), 'class Gamma:\n    pass\n');
  await waitFor(() => found(serve, 'Gamma'), { timeoutMs: 30_000, message: 'Gamma indexed from a file event' });
  expect(await found(serve, 'Alpha')).toBe(true);
  expect(await found(serve, 'Beta')).toBe(true);
  expect((await serve.get('/health')).status).toBe(200);
});
