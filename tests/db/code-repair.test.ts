import Database from 'better-sqlite3';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { projectName, scanProject } from '../../src/analysis/indexer.ts';
import { openCodeIndex } from '../../src/db/code-index.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { CODE_TARGETS } from '../helpers/code-fixtures.ts';
import type { DriverHandle, DriverSetup, TargetTraits } from '../helpers/driver.ts';
import { testFileParser } from '../helpers/indexed-project.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { OWNER } from '../helpers/driver.ts';

const logger = createLogger(nodeRuntime, { level: 'silent' });

/**
 * Issue 14 case 3: an index damaged while no server runs (a table dropped, search rows
 * or a file's rows deleted), opened again: what is wrong is found, said, and mended, and
 * the next scan brings back exactly what is missing.
 */
describe.each(CODE_TARGETS)('the code index mends itself at start, on the %s', (_name, start, traits) => {
  async function indexedSample() {
    const root = join(await makeTempDir(), 'py-sample');
    await cp(join(REPO_ROOT, 'test_data/projects/py-sample'), root, { recursive: true });
    const handle = await start();
    const opened = await openCodeIndex(handle.client(OWNER));
    const project = await opened.code.ensureProject(root, projectName(root));
    const scan = () => scanProject({ fs: nodeRuntime.fs, code: opened.code, parser: testFileParser(), logger }, project);
    expect(await scan()).toMatchObject({ state: 'done', indexed: 4 });
    // Whole: nothing to mend, nothing to index again.
    expect((await openCodeIndex(handle.client(OWNER))).repaired).toEqual([]);
    expect(await scan()).toMatchObject({ state: 'done', indexed: 0, unchanged: 4 });
    return { handle, project, root, code: opened.code };
  }

  /** Stop the driver, run `statements` on its database directly (no server, no guard), start it again and open the index. */
  async function damageAndRestart(handle: DriverHandle, statements: string[]) {
    await handle.stop();
    await runDirectly(traits, handle.databasePath, statements);
    const setup: DriverSetup = { dir: handle.dir, database: handle.databasePath };
    const restarted = await start(setup);
    const opened = await openCodeIndex(restarted.client(OWNER));
    const project = (await opened.code.projects())[0]!;
    const scan = () => scanProject({ fs: nodeRuntime.fs, code: opened.code, parser: testFileParser(), logger }, project);
    return { ...opened, handle: restarted, project, scan };
  }

  async function expectWhole(code: Awaited<ReturnType<typeof damageAndRestart>>['code'], projectId: number) {
    expect((await code.search('Circle', { kind: 'class' })).map((hit) => hit.path)).toEqual(['sample/shapes.py']);
    expect((await code.stats(projectId)).files).toBe(4);
    expect(Object.values((await code.stats(projectId)).symbols).reduce((a, b) => a + b, 0)).toBe(32);
  }

  it('a dropped symbols table: made again, every file with symbols indexed again, search whole', async () => {
    const { handle } = await indexedSample();
    // PostgreSQL refuses to drop a table others' keys reference: theirs go first (SQLite drops it and leaves them orphaned).
    const after = await damageAndRestart(handle, traits.driver === 'postgres' ? ['DROP TABLE symbol_vectors', 'DROP TABLE empty_vectors', 'DROP TABLE symbol_terms', 'DROP TABLE symbols'] : ['DROP TABLE symbols']);
    expect(after.repaired).toEqual(expect.arrayContaining(['4 files lacked some of their rows (symbols or references): marked to be indexed again']));
    if (traits.driver === 'sqlite') expect(after.repaired).toEqual(expect.arrayContaining(['rebuilt symbols_fts: it indexed 32 of 0 rows of symbols']));
    expect(await after.scan()).toMatchObject({ state: 'done', indexed: 4 });
    await expectWhole(after.code, after.project.id);
  });

  it('a dropped references table: made again and every file indexed again', async () => {
    const { handle } = await indexedSample();
    const after = await damageAndRestart(handle, ['DROP TABLE file_references']);
    expect(after.repaired).toEqual(expect.arrayContaining(['4 files lacked some of their rows (symbols or references): marked to be indexed again']));
    expect(await after.scan()).toMatchObject({ state: 'done', indexed: 4 });
    await expectWhole(after.code, after.project.id);
  });

  it("one file's symbols deleted: that file alone is indexed again", async () => {
    const { handle, project, code } = await indexedSample();
    const shapes = (await code.file(project.id, 'sample/shapes.py'))!;
    const after = await damageAndRestart(handle, [`DELETE FROM symbols WHERE file_id = ${shapes.id}`]);
    expect(after.repaired).toEqual(expect.arrayContaining(['1 files lacked some of their rows (symbols or references): marked to be indexed again']));
    expect(await after.scan()).toMatchObject({ state: 'done', indexed: 1, unchanged: 3 });
    await expectWhole(after.code, after.project.id);
  });

  it('search entries gone: made again from the rows', async () => {
    const { handle } = await indexedSample();
    const damage = traits.driver === 'sqlite' ? ['DELETE FROM symbols_fts WHERE rowid IN (SELECT id FROM symbols WHERE kind = \'class\')'] : ['DROP INDEX symbols_search'];
    const after = await damageAndRestart(handle, damage);
    if (traits.driver === 'sqlite') expect(after.repaired).toEqual([expect.stringMatching(/^rebuilt symbols_fts: it indexed \d+ of 32 rows of symbols$/)]);
    else expect(after.repaired).toEqual([]);
    expect(await after.scan()).toMatchObject({ state: 'done', indexed: 0, unchanged: 4 });
    await expectWhole(after.code, after.project.id);
  });

  it('rows of files that are gone: removed', async () => {
    const { handle } = await indexedSample();
    // Foreign keys off for this connection: how rows lose their file when a table is dropped and made again.
    const after = await damageAndRestart(handle, [
      traits.driver === 'sqlite' ? 'PRAGMA foreign_keys = OFF' : 'SET session_replication_role = replica',
      "INSERT INTO symbols (file_id, project_id, name, kind, qualified_name, line_start, line_end) VALUES (9999, 1, 'ghost', 'function', 'ghost', 1, 1)",
      `INSERT INTO file_references (file_id, names, positions) VALUES (9999, 'ghost', ${traits.driver === 'sqlite' ? "X'010101'" : "'\\x010101'"})`,
    ]);
    expect(after.repaired).toEqual(expect.arrayContaining(['removed 1 symbols of files that no longer exist', 'removed 1 references of files that no longer exist']));
    expect(await after.code.search('ghost')).toEqual([]);
    expect(await after.code.references('ghost')).toEqual([]);
    await expectWhole(after.code, after.project.id);
  });
});

/** Schema 1 as it was shipped: syntax trees stored, SQLite's search table keeping its own copy of the text. */
const VERSION_1 = join(REPO_ROOT, 'test_data/schemas/code-schema-v1.json');
const VERSION_1_SEARCH = {
  sqlite: "CREATE VIRTUAL TABLE IF NOT EXISTS symbols_fts USING fts5(name, qualified_name, docstring, tokenize = 'unicode61')",
  postgres:
    "CREATE INDEX IF NOT EXISTS symbols_search ON symbols USING gin (to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(qualified_name, '') || ' ' || coalesce(docstring, '')))",
};

describe.each(CODE_TARGETS)('a version-1 code index, on the %s', (_name, start, traits) => {
  it('is brought to the current version at open: trees dropped, search tables made anew, every file indexed again by the next scan', async () => {
    const root = join(await makeTempDir(), 'py-sample');
    await cp(join(REPO_ROOT, 'test_data/projects/py-sample'), root, { recursive: true });
    const handle = await start();
    const db = handle.client(OWNER);
    await db.syncSchema(JSON.parse(await readFile(VERSION_1, 'utf8')));
    await db.execute(VERSION_1_SEARCH[traits.driver]);
    const { row_id: projectId } = await db.insert('projects', { root, name: 'py-sample' });
    const { row_id: fileId } = await db.insert('files', {
      project_id: projectId,
      path: 'sample/util.py',
      language: 'python',
      size: 1,
      mtime_ms: 1,
      hash: 'stale',
      lines: 1,
      indexed_at: new Date().toISOString(),
    });
    await db.insert('symbols', { file_id: fileId, project_id: projectId, name: 'old', kind: 'function', qualified_name: 'old', line_start: 1, line_end: 1 });
    await db.insert('syntax_trees', { file_id: fileId, tree: { type: 'module', start: [0, 0], end: [1, 0] }, truncated: false });
    if (traits.driver === 'sqlite') await db.execute("INSERT INTO symbols_fts(rowid, name, qualified_name, docstring) SELECT id, name, qualified_name, '' FROM symbols");

    const opened = await openCodeIndex(db);
    expect(opened.sync).toMatchObject({ previous_version: '1', version: '3' });
    expect(opened.sync.created_tables).toEqual(expect.arrayContaining(['embedding_models', 'symbol_vectors', 'empty_vectors']));
    expect(opened.repaired).toEqual(
      expect.arrayContaining([
        'dropped the table syntax_trees (schema 3 no longer has it)',
        '1 files lacked some of their rows (symbols or references): marked to be indexed again',
        ...(traits.driver === 'sqlite' ? ['remade symbols_fts', 'created file_references_fts'] : []),
      ]),
    );
    expect((await db.listTables()).tables).not.toContain('syntax_trees');
    const project = (await opened.code.projects())[0]!;
    const scan = await scanProject({ fs: nodeRuntime.fs, code: opened.code, parser: testFileParser(), logger }, project);
    expect(scan).toMatchObject({ state: 'done', indexed: 4 });
    expect(await opened.code.search('old')).toEqual([]);
    expect((await opened.code.search('Circle', { kind: 'class' })).map((hit) => hit.path)).toEqual(['sample/shapes.py']);
    expect((await openCodeIndex(db)).repaired).toEqual([]);
  });
});

/** Run statements on the database itself, as someone with the file (or a superuser) could. */
async function runDirectly(traits: TargetTraits, database: string, statements: string[]): Promise<void> {
  if (traits.driver === 'sqlite') {
    const db = new Database(database);
    try {
      for (const statement of statements) db.exec(statement);
    } finally {
      db.close();
    }
    return;
  }
  const sql = postgres(database, { onnotice: () => undefined });
  try {
    for (const statement of statements) await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}
