import Database from 'better-sqlite3';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.ts';
import { type ServeHandle, startServe, testConfig } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

async function searchKinds(serve: ServeHandle, query: string): Promise<string[]> {
  const { symbols } = (await (await serve.get(`/search?q=${query}`)).json()) as { symbols: Array<{ kind: string; path: string }> };
  return symbols.map((symbol) => `${symbol.kind} ${symbol.path}`);
}

// Issue 14 case 3, as an operator meets it: the index was damaged while the server was down.
it('serve mends a damaged code index at start, says so in its log, and the indexer brings back what was lost', async () => {
  const dir = await makeTempDir();
  const root = join(dir, 'py-sample');
  await cp(join(REPO_ROOT, 'test_data/projects/py-sample'), root, { recursive: true });
  const config = testConfig({ workers: { maintenance: { enabled: false }, indexer: { scan_interval_ms: 3_600_000 } } });
  const first = await startServe({ dir, config, args: ['--watch', root] });
  await waitFor(async () => (await searchKinds(first, 'Circle')).includes('class sample/shapes.py'), { message: 'the sample indexed' });
  first.child.kill('SIGTERM');
  expect((await first.exited).code).toBe(0);

  // A table dropped and search rows deleted behind the server's back.
  const db = new Database(join(dir, 'data/code_analysis.db'));
  db.exec('DROP TABLE symbols');
  db.exec('DELETE FROM file_references_fts');
  db.close();

  const second = await startServe({ dir, args: ['--watch', root] });
  expect(second.stderr()).toMatch(/code index repaired: 4 files lacked some of their rows \(symbols or references\): marked to be indexed again/);
  expect(second.stderr()).toMatch(/code index repaired: rebuilt symbols_fts/);
  await waitFor(async () => (await searchKinds(second, 'Circle')).includes('class sample/shapes.py'), { timeoutMs: 30_000, message: 'the symbols back' });
  expect(await searchKinds(second, 'Circle')).toEqual(['class sample/shapes.py', 'import sample/__init__.py', 'method sample/shapes.py', 'method sample/shapes.py', 'method sample/shapes.py']);
});
