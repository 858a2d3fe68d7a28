import { cp, mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSources, projectName, type ScanProgress, scanProject } from '../../src/analysis/indexer.ts';
import { languageOf } from '../../src/analysis/languages.ts';
import { walkSources } from '../../src/analysis/source-walker.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import type { FileParser } from '../../src/analysis/parse-pool.ts';
import type { ParsedSymbol } from '../../src/analysis/types.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import type { CodeDatabase, Project } from '../../src/db/code-database.ts';
import type { DatabaseClient } from '../../src/db/database-client.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { FileSystem } from '../../src/runtime/types.ts';
import { startInProcessDriver, OWNER } from '../helpers/driver.ts';
import { openTestCodeIndex, testFileParser } from '../helpers/indexed-project.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const logger = createLogger(nodeRuntime, { level: 'silent' });
const parser = createSourceParser();
const WRITES = ['insert', 'insert_many', 'update', 'delete', 'execute', 'batch'] as const;

const openCode = openTestCodeIndex;

async function copyProject(name: string): Promise<string> {
  const root = join(await makeTempDir(), name);
  await cp(join(REPO_ROOT, 'test_data', 'projects', name), root, { recursive: true });
  return root;
}

async function setup(root: string, options: { fs?: FileSystem; dir?: string } = {}) {
  const driver = await startInProcessDriver({ dir: options.dir });
  // A lost driver is noticed once reconnecting has failed for this long.
  const db = driver.client({ ...OWNER, timeoutMs: 2_000 });
  const code = await openCode(db);
  const project = await code.ensureProject(root, projectName(root));
  const scan = (onProgress?: (progress: ScanProgress) => void) =>
    scanProject({ fs: options.fs ?? nodeRuntime.fs, code, parser: testFileParser(), logger }, project, onProgress);
  return { driver, db, code, project, scan };
}

/** How many times each writing method has run on the driver. */
async function writeCounts(db: DatabaseClient): Promise<Record<string, number>> {
  const methods = (await db.stats()).methods as Record<string, { count: number }>;
  return Object.fromEntries(WRITES.map((method) => [method, methods[method]?.count ?? 0]));
}

const comparable = (symbols: ParsedSymbol[]) =>
  symbols
    .map(({ name, kind, qualified_name, parent, line_start, line_end, signature, docstring }) => ({
      name,
      kind,
      qualified_name,
      parent,
      line_start,
      line_end,
      signature,
      docstring,
    }))
    .sort((a, b) => a.line_start - b.line_start || a.qualified_name.localeCompare(b.qualified_name) || a.kind.localeCompare(b.kind));

/** Every source file of the tree is stored whole: exactly the parser's symbols. */
async function expectIndexMatchesParser(code: CodeDatabase, project: Project): Promise<number> {
  const files = await code.files(project.id);
  const onDisk: string[] = [];
  for await (const file of walkSources(nodeRuntime.fs, project.root, { languageOf, maxFileBytes: 2 * 1024 * 1024 })) {
    onDisk.push(file.path);
    const stored = files.find((record) => record.path === file.path);
    expect(stored, file.path).toBeDefined();
    const parsed = await parser.parse(await readFile(file.absolute, 'utf8'), file.language);
    expect(comparable(await code.symbolsOf(stored!.id)), file.path).toEqual(comparable(parsed.symbols));
    expect(stored!.parse_error, file.path).toBe(parsed.error);
  }
  expect(files.map((file) => file.path).sort()).toEqual(onDisk.sort());
  return onDisk.length;
}

describe('scanProject', () => {
  it('indexes every file with the parser\'s symbols, and a second scan writes nothing', async () => {
    const root = await copyProject('py-sample');
    const { db, code, project, scan } = await setup(root);
    const first = await scan();
    expect(first).toMatchObject({ state: 'done', seen: 4, indexed: 4, unchanged: 0, removed: 0, failed: 0, parse_errors: 1, error: null });
    expect(await expectIndexMatchesParser(code, project)).toBe(4);
    const byKind = (await code.stats(project.id)).symbols;
    expect(first.symbols).toBe(Object.values(byKind).reduce((sum, n) => sum + n, 0));
    expect((await code.project(project.id))!.last_scan_at).not.toBeNull();

    const before = await writeCounts(db);
    const second = await scan();
    expect(second).toMatchObject({ state: 'done', seen: 4, indexed: 0, unchanged: 4, touched: 0, removed: 0 });
    expect(await writeCounts(db)).toEqual(before);
  });

  it('stores a file with a syntax error with its error and the symbols around it', async () => {
    const root = await copyProject('py-sample');
    const { code, project, scan } = await setup(root);
    await scan();
    const broken = (await code.file(project.id, 'sample/broken.py'))!;
    expect(broken.parse_error).toMatch(/\S/);
    const names = (await code.symbolsOf(broken.id)).map((symbol) => symbol.qualified_name);
    expect(names).toEqual(expect.arrayContaining(['sys', 'before', 'After', 'After.method']));
    expect((await code.stats(project.id)).parse_errors).toBe(1);
  });

  it('re-reads a file changed again within the mtime tick it was indexed in, size and mtime both the same ("racily clean")', async () => {
    const root = await copyProject('py-sample');
    const { code, project, scan } = await setup(root);
    const file = join(root, 'sample/util.py');
    // A whole second, which every layer stores exactly, and recent for the indexer however
    // slow the machine: a minute ahead (the current second failed when the first scan took
    // longer than what was left of it, as under load).
    const tick = Math.floor(Date.now() / 1000) + 60;
    await utimes(file, tick, tick);
    await scan();
    // Same length, same mtime, different content: only the hash can tell.
    const source = await readFile(file, 'utf8');
    await writeFile(file, source.replace(/\bdef (\w)/, (_match, first: string) => `def ${first === 'z' ? 'y' : 'z'}`));
    await utimes(file, tick, tick);
    expect((await stat(file)).size).toBe(Buffer.byteLength(source));
    const result = await scan();
    expect(result).toMatchObject({ state: 'done', indexed: 1 });
    const names = (await code.symbolsOf((await code.file(project.id, 'sample/util.py'))!.id)).map((symbol) => symbol.name);
    expect(names.some((name) => name.startsWith('z') || name.startsWith('y'))).toBe(true);
  });

  it('after a touch that changes nothing, stores only the new mtime', async () => {
    const root = await copyProject('py-sample');
    const { db, code, project, scan } = await setup(root);
    await scan();
    const before = (await code.file(project.id, 'sample/util.py'))!;
    const symbols = await code.symbolsOf(before.id);
    const later = new Date((Math.trunc(before.mtime_ms / 1000) + 60) * 1000);
    await utimes(join(root, 'sample/util.py'), later, later);
    const counts = await writeCounts(db);

    const result = await scan();
    expect(result).toMatchObject({ state: 'done', indexed: 0, unchanged: 4, touched: 1 });
    const after = (await code.file(project.id, 'sample/util.py'))!;
    expect(after).toEqual({ ...before, mtime_ms: later.getTime() });
    expect(await code.symbolsOf(after.id)).toEqual(symbols);
    const now = await writeCounts(db);
    // The new mtime (in a batch, with any other file's), and the project's scan date.
    expect(now).toEqual({ ...counts, batch: counts.batch! + 1, update: counts.update! + 1 });
    expect((await scan()).touched).toBe(0);
  });

  it('replaces the symbols of an edited file, in the table and in search', async () => {
    const root = await copyProject('py-sample');
    const { code, project, scan } = await setup(root);
    await scan();
    const file = (await code.file(project.id, 'sample/util.py'))!;
    const oldIds = (await code.symbolsOf(file.id)).map((symbol) => symbol.id);
    expect((await code.search('gather_all')).map((hit) => hit.qualified_name)).toContain('gather_all');

    await writeFile(join(root, 'sample/util.py'), 'def scatter_some(items):\n    """Spread the items thinly."""\n    return items\n');
    expect(await scan()).toMatchObject({ state: 'done', indexed: 1, unchanged: 3 });
    const edited = (await code.file(project.id, 'sample/util.py'))!;
    expect(edited.id).toBe(file.id);
    expect(edited.lines).toBe(3);
    const symbols = await code.symbolsOf(edited.id);
    expect(symbols.map((symbol) => symbol.qualified_name)).toEqual(['scatter_some']);
    expect(symbols.some((symbol) => oldIds.includes(symbol.id) && symbol.name !== 'scatter_some')).toBe(false);
    expect(await code.search('gather_all')).toEqual([]);
    expect(await code.search('retry', { projectId: project.id })).toEqual([
      expect.objectContaining({ kind: 'import', path: 'sample/__init__.py' }),
    ]);
    expect((await code.search('thinly')).map((hit) => hit.name)).toEqual(['scatter_some']);
    await expectIndexMatchesParser(code, project);
  });

  it('removes a deleted file with its symbols and search entries', async () => {
    const root = await copyProject('py-sample');
    const { db, code, project, scan } = await setup(root);
    await scan();
    const file = (await code.file(project.id, 'sample/shapes.py'))!;
    const ids = (await code.symbolsOf(file.id)).map((symbol) => symbol.id);
    expect(ids.length).toBeGreaterThan(0);
    const inFts = async () => (await db.execute(`SELECT id FROM symbols_fts_docsize WHERE id IN (${ids.map(() => '?').join(',')})`, ids)).data ?? [];
    expect(await inFts()).toHaveLength(ids.length);

    await rm(join(root, 'sample/shapes.py'));
    expect(await scan()).toMatchObject({ state: 'done', removed: 1, seen: 3 });
    expect(await code.file(project.id, 'sample/shapes.py')).toBeNull();
    expect((await db.select('symbols', { where: { file_id: file.id } })).data).toEqual([]);
    expect(await inFts()).toEqual([]);
    expect(await code.search('Square')).toEqual([]);
    expect(await expectIndexMatchesParser(code, project)).toBe(3);
  });

  it('counts a file that cannot be read as failed and indexes the rest', async () => {
    const root = await copyProject('py-sample');
    // The file vanishes between the walk seeing it and the indexer reading it.
    const racing: FileSystem = {
      ...nodeRuntime.fs,
      async stat(path) {
        const info = await nodeRuntime.fs.stat(path);
        if (path.endsWith('shapes.py')) await rm(path, { force: true });
        return info;
      },
    };
    const { code, project, scan } = await setup(root, { fs: racing });
    const result = await scan();
    expect(result).toMatchObject({ state: 'done', seen: 4, indexed: 3, failed: 1 });
    expect((await code.files(project.id)).map((file) => file.path)).toEqual(['sample/__init__.py', 'sample/broken.py', 'sample/util.py']);
  });

  it('stores the other files of a batch when the database refuses one, and reports that one failed', async () => {
    const root = await copyProject('py-sample');
    const driver = await startInProcessDriver();
    const code = await openCode(driver.client(OWNER));
    const project = await code.ensureProject(root, projectName(root));
    // util.py comes out of the parser with a symbol the symbols table refuses (no line).
    const inProcess = testFileParser();
    const parser: FileParser = {
      ...inProcess,
      async parse(job) {
        const outcome = await inProcess.parse(job);
        if (!outcome.unchanged && job.absolute.endsWith('util.py')) outcome.content.symbols[0]!.line_start = null as unknown as number;
        return outcome;
      },
    };
    const result = await scanProject({ fs: nodeRuntime.fs, code, parser, logger }, project);
    expect(result).toMatchObject({ state: 'done', seen: 4, indexed: 3, failed: 1, error: null });
    expect((await code.files(project.id)).map((file) => file.path)).toEqual(['sample/__init__.py', 'sample/broken.py', 'sample/shapes.py']);
    // Not stored, so the next scan tries it again.
    expect(await scanProject({ fs: nodeRuntime.fs, code, parser: inProcess, logger }, project)).toMatchObject({ indexed: 1, unchanged: 3 });
  });

  it('skips files over the size limit', async () => {
    const root = await makeTempDir();
    await writeFile(join(root, 'big.py'), 'x = 1\n'.repeat(100));
    await writeFile(join(root, 'small.py'), 'def f():\n    pass\n');
    const driver = await startInProcessDriver();
    const code = await openCode(driver.client(OWNER));
    const project = await code.ensureProject(root, projectName(root));
    const result = await scanProject({ fs: nodeRuntime.fs, code, parser: testFileParser(), logger, maxFileBytes: 100 }, project);
    expect(result).toMatchObject({ state: 'done', seen: 1, indexed: 1, skipped: 1 });
  });

  it('scans the files listed ahead as it would have walked them, skipped ones counted', async () => {
    const root = await makeTempDir();
    await writeFile(join(root, 'big.py'), 'x = 1\n'.repeat(100));
    await writeFile(join(root, 'small.py'), 'def f():\n    pass\n');
    const listed = await listSources(nodeRuntime.fs, root, { maxFileBytes: 100 });
    expect(listed.files.map((file) => file.path)).toEqual(['small.py']);
    expect(listed.skipped).toEqual([['big.py', expect.stringContaining('100')]]);
    // Listed, then changed: the scan reads what the file holds now (the listing only names it).
    await writeFile(join(root, 'small.py'), 'def g():\n    pass\n');
    const driver = await startInProcessDriver();
    const code = await openCode(driver.client(OWNER));
    const project = await code.ensureProject(root, projectName(root));
    const result = await scanProject({ fs: nodeRuntime.fs, code, parser: testFileParser(), logger, maxFileBytes: 100 }, project, undefined, undefined, listed);
    expect(result).toMatchObject({ state: 'done', seen: 1, indexed: 1, skipped: 1, symbols: 1 });
    expect((await code.symbolsOf((await code.file(project.id, 'small.py'))!.id)).map((symbol) => symbol.name)).toEqual(['g']);
  });

  it('ends with state aborted when the driver stops mid-scan; the next scan completes the rest, every file whole', async () => {
    // More files than one batch holds, so the driver stops with some batches written and others not.
    const FILES = 600;
    const root = await makeTempDir();
    for (let n = 0; n < FILES; n++) {
      const dir = join(root, `pkg${n % 4}`);
      await mkdir(dir, { recursive: true });
      const methods = Array.from({ length: (n % 5) + 1 }, (_, m) => `    def m${m}(self):\n        """Method ${m}."""\n        return ${m}\n`).join('\n');
      await writeFile(join(dir, `mod${n}.py`), `import os\n\n\nclass C${n}:\n${methods}\n\ndef f${n}():\n    return C${n}()\n`);
    }
    const first = await setup(root);
    let stopping: Promise<unknown> | undefined;
    const aborted = await first.scan((progress) => {
      // Once the first batch is stored.
      if (progress.indexed > 0 && !stopping) stopping = first.driver.stop();
    });
    await stopping;
    expect(aborted.state).toBe('aborted');
    expect(aborted.error).toMatch(/cannot connect|shutting down|closed/i);
    expect(aborted.indexed).toBeLessThan(FILES);

    const second = await setup(root, { dir: first.driver.dir });
    const partial = await second.code.files(second.project.id);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(FILES);
    const done = await second.scan();
    expect(done).toMatchObject({ state: 'done', seen: FILES, failed: 0 });
    expect(done.indexed + done.unchanged).toBe(FILES);
    expect(done.unchanged).toBe(partial.length);
    expect(await expectIndexMatchesParser(second.code, second.project)).toBe(FILES);
  });

  it('names a project after its directory', () => {
    expect(projectName('/srv/code/my-app')).toBe('my-app');
    expect(projectName('/')).toBe('/');
  });
});

describe('file mtimes', () => {
  it('are stored as whole milliseconds, as stat reports them', async () => {
    const root = await copyProject('py-sample');
    const { code, project, scan } = await setup(root);
    await scan();
    const file = (await code.file(project.id, 'sample/shapes.py'))!;
    expect(file.mtime_ms).toBe(Math.trunc((await stat(join(root, 'sample/shapes.py'))).mtimeMs));
  });
});
