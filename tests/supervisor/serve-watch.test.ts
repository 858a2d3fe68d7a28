import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ExpectedSymbol, expectedSymbols } from '../helpers/expected-symbols.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { postgresRequired, startPostgres } from '../helpers/postgres.ts';
import { type ServeHandle, startServe, testConfig } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

interface ProjectProgress {
  root: string;
  state: string;
  indexed: number;
  unchanged: number;
  removed: number;
  finished_at: string | null;
}

async function json<T>(serve: ServeHandle, path: string): Promise<T> {
  const response = await serve.get(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The indexer's report for one project, once a scan finished after `after` (ISO time). */
async function scanAfter(serve: ServeHandle, root: string, after = ''): Promise<ProjectProgress> {
  return waitFor(
    async () => {
      const worker = await serve.service('worker-indexer');
      const projects = (worker.details.projects ?? []) as ProjectProgress[];
      const project = projects.find((entry) => entry.root === root);
      return project?.state === 'done' && (project.finished_at ?? '') > after ? project : undefined;
    },
    { timeoutMs: 30_000, message: `a finished scan of ${root}` },
  );
}

async function symbolsOf(serve: ServeHandle, projectId: number, path: string) {
  const { symbols } = await json<{ symbols: ExpectedSymbol[] }>(serve, `/projects/${projectId}/symbols?path=${encodeURIComponent(path)}`);
  return symbols.map(({ name, kind, qualified_name, parent, line_start, line_end }) => ({ path, name, kind, qualified_name, parent, line_start, line_end }));
}

const sortKey = (symbol: ExpectedSymbol) => `${symbol.path}:${String(symbol.line_start).padStart(6, '0')}:${symbol.kind}:${symbol.qualified_name}`;

/** The same acceptance on each database: SQLite, and PostgreSQL where its binaries exist (required under CI=true). */
const DATABASES: Array<[string, () => Promise<string[]>]> = [
  ['SQLite', async () => []],
  ...(postgresRequired() ? [['PostgreSQL', async () => ['--database', await (await startPostgres()).createDatabase('watch')]] as [string, () => Promise<string[]>]] : []),
];

describe.each(DATABASES)('serve --watch on %s', (_name, databaseArgs) => {
  it('indexes the project, follows edits and deletions, and after a restart re-indexes nothing unchanged', async () => {
    const database = await databaseArgs();
    const dir = await makeTempDir();
    const root = join(dir, 'py-sample');
    await cp(join(REPO_ROOT, 'test_data/projects/py-sample'), root, { recursive: true });
    const expected = expectedSymbols(root);
    await rm(join(root, 'expected-symbols.json'));
    // Periodic rescans far apart: what happens below is the work of file events.
    const config = testConfig({ workers: { maintenance: { enabled: false }, indexer: { scan_interval_ms: 3_600_000 } } });
    const serve = await startServe({ dir, config, args: ['--watch', root, ...database] });

    const first = await scanAfter(serve, root);
    const { projects } = await json<{ projects: Array<{ id: number; root: string }> }>(serve, '/projects');
    expect(projects.map((project) => project.root)).toEqual([root]);
    const projectId = projects[0]!.id;
    const paths = [...new Set(expected.map((symbol) => symbol.path))];
    const stored = (await Promise.all(paths.map((path) => symbolsOf(serve, projectId, path)))).flat();
    expect(stored.sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(expected.sort((a, b) => sortKey(a).localeCompare(sortKey(b))));
    expect(first.indexed).toBe(paths.length);

    // Over POST /rpc too.
    const search = await serve.rpc('search_symbols', { query: 'Circle', kind: 'class' });
    expect(search.result).toMatchObject({ symbols: [{ name: 'Circle', kind: 'class', path: 'sample/shapes.py' }] });

    // Edit: a new function at the end of util.py.
    const util = join(root, 'sample/util.py');
    const source = await readFile(util, 'utf8');
    const lines = source.split('\n').length;
    await writeFile(util, `${source.endsWith('\n') ? source : `${source}\n`}\ndef added_later(x):\n    return x\n`);
    await waitFor(async () => (await symbolsOf(serve, projectId, 'sample/util.py')).some((symbol) => symbol.name === 'added_later'), {
      message: 'the edit to be indexed',
    });
    const added = (await symbolsOf(serve, projectId, 'sample/util.py')).find((symbol) => symbol.name === 'added_later')!;
    expect(added).toMatchObject({ kind: 'function', parent: null, line_start: lines + 1, line_end: lines + 2 });

    // Delete: its symbols go with it.
    await rm(join(root, 'sample/broken.py'));
    await waitFor(async () => (await serve.get(`/projects/${projectId}/symbols?path=sample/broken.py`)).status === 404, {
      message: 'the deletion to be indexed',
    });
    const { files } = await json<{ files: Array<{ path: string }> }>(serve, `/projects/${projectId}/files`);
    expect(files.map((file) => file.path)).not.toContain('sample/broken.py');

    // Restart: the first scan finds everything unchanged.
    serve.child.kill('SIGTERM');
    expect((await serve.exited).code).toBe(0);
    const again = await startServe({ dir, args: ['--watch', root, ...database] });
    const rescan = await scanAfter(again, root);
    expect(rescan).toMatchObject({ indexed: 0, removed: 0, unchanged: paths.length - 1 });
  });
});
