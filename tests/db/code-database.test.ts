import { describe, expect, it } from 'vitest';
import { CODE_SCHEMA } from '../../src/db/code-schema.ts';
import type { ParsedSymbol, ParseResult, SymbolKind } from '../../src/analysis/types.ts';
import { CodeDatabase } from '../../src/db/code-database.ts';
import { codeDialect, setupSearch } from '../../src/db/code-dialect.ts';
import type { DatabaseClient } from '../../src/db/database-client.ts';
import { DRIVER_TARGETS, type DriverHandle } from '../helpers/driver.ts';

// The SQLite child adds nothing over the same code in-process; PostgreSQL runs where it is installed.
const TARGETS = DRIVER_TARGETS.filter(([name]) => name !== 'driver child process');

/** Rows in SQLite's search table (PostgreSQL searches the symbols table itself). */
async function ftsIds(db: DatabaseClient, driver: string): Promise<number[] | null> {
  if (driver !== 'sqlite') return null;
  return ((await db.execute('SELECT rowid AS id FROM symbols_fts ORDER BY rowid')).rows ?? []).map((row) => Number(row.id));
}

async function openOn(start: () => Promise<DriverHandle>, driver: string) {
  const handle = await start();
  const db = handle.client();
  await db.syncSchema(CODE_SCHEMA);
  await setupSearch(db, codeDialect(driver));
  return { db, code: await CodeDatabase.open(db) };
}

let line = 1;
function symbol(name: string, kind: SymbolKind = 'function', fields: Partial<ParsedSymbol> = {}): ParsedSymbol {
  const start = line;
  line += 3;
  return { name, kind, qualified_name: name, parent: null, line_start: start, line_end: start + 2, signature: null, docstring: null, ...fields };
}

function parsed(symbols: ParsedSymbol[], error: string | null = null): ParseResult {
  return { language: 'python', symbols, references: [], tree: { type: 'module', start: [0, 0], end: [symbols.length * 3, 0] }, tree_truncated: false, error };
}

function file(path: string, lines = 10, language = 'python') {
  return { path, language, size: lines * 8, mtime_ms: 1_700_000_000_000, hash: `hash-of-${path}`, lines };
}

describe.each(TARGETS)('CodeDatabase on the %s', (_name, start, traits) => {
  const openCode = () => openOn(start, traits.driver);

  it('adds a project once, however often it is ensured', async () => {
    const { code } = await openCode();
    const [a, again] = await Promise.all([code.ensureProject('/src/a', 'a'), code.ensureProject('/src/a', 'a')]);
    expect(again.id).toBe(a.id);
    expect(await code.ensureProject('/src/a', 'other name')).toEqual(a);
    const b = await code.ensureProject('/src/b', 'b');
    expect((await code.projects()).map((project) => project.root)).toEqual(['/src/a', '/src/b']);
    expect(await code.project(b.id)).toEqual(b);
    expect(await code.project(9999)).toBeNull();
    expect(await code.projectByRoot('/nowhere')).toBeNull();
  });

  it('stores a file with its symbols and tree in one go, and replaces them on the next save', async () => {
    const { db, code } = await openCode();
    const project = await code.ensureProject('/p', 'p');
    const first = await code.saveFile(project.id, file('m.py'), parsed([symbol('Alpha', 'class'), symbol('run', 'method', { qualified_name: 'Alpha.run', parent: 'Alpha' })]));
    expect(first.symbols).toBe(2);
    expect((await code.symbolsOf(first.file_id)).map((s) => [s.qualified_name, s.parent])).toEqual([
      ['Alpha', null],
      ['Alpha.run', 'Alpha'],
    ]);
    expect(await code.treeOf(first.file_id)).toEqual({ tree: { type: 'module', start: [0, 0], end: [6, 0] }, truncated: false });

    const second = await code.saveFile(project.id, { ...file('m.py', 3), hash: 'new' }, parsed([symbol('beta')], 'syntax error at 2:1'));
    expect(second.file_id).toBe(first.file_id);
    expect((await code.symbolsOf(second.file_id)).map((s) => s.name)).toEqual(['beta']);
    expect((await code.search('Alpha')).length).toBe(0);
    expect(await code.file(project.id, 'm.py')).toMatchObject({ hash: 'new', lines: 3, parse_error: 'syntax error at 2:1' });
    expect(await ftsIds(db, traits.driver)).toEqual(traits.driver === 'sqlite' ? [(await code.symbolsOf(second.file_id))[0]!.id] : null);
    expect((await code.fileStates(project.id)).get('m.py')).toEqual({ id: first.file_id, path: 'm.py', size: 24, mtime_ms: 1_700_000_000_000, hash: 'new', indexed_at: expect.any(String) });
  });

  it('writes nothing of a file whose save fails', async () => {
    const { db, code } = await openCode();
    const project = await code.ensureProject('/p', 'p');
    const bad = parsed([symbol('fine'), { ...symbol('broken'), line_start: null as unknown as number }]);
    await expect(code.saveFile(project.id, file('bad.py'), bad)).rejects.toThrow();
    expect(await code.file(project.id, 'bad.py')).toBeNull();
    expect((await db.select('symbols')).data).toEqual([]);
    expect(await ftsIds(db, traits.driver)).toEqual(traits.driver === 'sqlite' ? [] : null);
  });

  it('removes files with everything hanging off them, and only those', async () => {
    const { db, code } = await openCode();
    const project = await code.ensureProject('/p', 'p');
    const gone = await code.saveFile(project.id, file('gone.py'), parsed([symbol('vanishing')]));
    const kept = await code.saveFile(project.id, file('kept.py'), parsed([symbol('staying')]));
    await code.removeFiles(project.id, ['gone.py', 'never-there.py']);
    await code.removeFiles(project.id, []);
    expect((await code.files(project.id)).map((f) => f.path)).toEqual(['kept.py']);
    expect(await code.symbolsOf(gone.file_id)).toEqual([]);
    expect(await code.treeOf(gone.file_id)).toBeNull();
    expect(await code.treeOf(kept.file_id)).not.toBeNull();
    const keptIds = (await code.symbolsOf(kept.file_id)).map((s) => s.id);
    expect(await ftsIds(db, traits.driver)).toEqual(traits.driver === 'sqlite' ? keptIds : null);
  });

  it('counts files, lines, parse errors, symbols by kind and languages per project', async () => {
    const { code } = await openCode();
    const p = await code.ensureProject('/p', 'p');
    const q = await code.ensureProject('/q', 'q');
    await code.saveFile(p.id, file('a.py', 10), parsed([symbol('A', 'class'), symbol('m', 'method'), symbol('os', 'import')]));
    await code.saveFile(p.id, file('b.py', 5), parsed([symbol('f')], 'syntax error at 1:1'));
    await code.saveFile(p.id, file('c.ts', 7, 'typescript'), parsed([symbol('g'), symbol('h')]));
    await code.saveFile(q.id, file('z.py', 100), parsed([symbol('Z', 'class')]));
    expect(await code.stats(p.id)).toEqual({
      files: 3,
      lines: 22,
      parse_errors: 1,
      symbols: { class: 1, method: 1, import: 1, function: 3 },
      languages: { python: 2, typescript: 1 },
    });
    expect(await code.stats(9999)).toEqual({ files: 0, lines: 0, parse_errors: 0, symbols: {}, languages: {} });
  });

  it('marks a project scanned', async () => {
    const { code } = await openCode();
    const project = await code.ensureProject('/p', 'p');
    expect(project.last_scan_at).toBeNull();
    await code.markScanned(project.id);
    expect((await code.project(project.id))!.last_scan_at).not.toBeNull();
  });

});

describe.each(TARGETS)('CodeDatabase.search on the %s', (_name, start, traits) => {
  async function searchable() {
    const { db, code } = await openOn(start, traits.driver);
    const p = await code.ensureProject('/p', 'p');
    const q = await code.ensureProject('/q', 'q');
    await code.saveFile(
      p.id,
      file('geometry.py'),
      parsed([
        symbol('compute', 'function', { docstring: 'Returns the area of the shape.' }),
        symbol('surface_area', 'function'),
        symbol('area_of', 'function'),
        symbol('Area', 'class'),
        symbol('unrelated', 'function', { docstring: 'Nothing to see.' }),
      ]),
    );
    await code.saveFile(q.id, file('other.py'), parsed([symbol('area', 'method', { qualified_name: 'Shape.area', parent: 'Shape' })]));
    return { db, code, p, q };
  }

  it('puts exact names before prefixes before names containing the word before docstring-only matches', async () => {
    const { code } = await searchable();
    const hits = await code.search('area');
    expect(hits.map((hit) => hit.name)).toEqual([expect.stringMatching(/^area$/i), expect.stringMatching(/^area$/i), 'area_of', 'surface_area', 'compute']);
    expect(hits[4]).toMatchObject({ path: 'geometry.py', project: '/p', docstring: 'Returns the area of the shape.', kind: 'function' });
    expect((await code.search('area', { limit: 2 })).map((hit) => hit.name.toLowerCase())).toEqual(['area', 'area']);
    // Every word must match, in the name, the qualified name or the docstring.
    expect((await code.search('Shape.area')).map((hit) => hit.qualified_name).sort()).toEqual(['Shape.area', 'compute']);
  });

  it('filters by kind and project before the limit, so many other matches never hide one', async () => {
    const { code, p, q } = await searchable();
    const crowd = Array.from({ length: 60 }, () => symbol('area', 'function'));
    await code.saveFile(p.id, file('crowd.py'), parsed(crowd));
    expect((await code.search('area', { kind: 'class', limit: 1 })).map((hit) => [hit.name, hit.kind])).toEqual([['Area', 'class']]);
    expect((await code.search('area', { projectId: q.id, limit: 1 })).map((hit) => hit.qualified_name)).toEqual(['Shape.area']);
    expect(await code.search('area', { projectId: q.id, kind: 'function' })).toEqual([]);
    expect((await code.search('area', { projectId: p.id, kind: 'function', limit: 100 })).filter((hit) => hit.name === 'area')).toHaveLength(60);
  });

  it('treats FTS syntax in the words as plain text, never as an error', async () => {
    const { code } = await searchable();
    for (const text of ['"area', 'area"', 'area*', '* area', 'area OR compute', 'NEAR(area compute)', 'area AND', 'NOT area', '-area', 'area:', '^area', "area'); DROP TABLE symbols; --", '{area}', 'a"r"e"a']) {
      await expect(code.search(text), text).resolves.toBeInstanceOf(Array);
    }
    expect((await code.search('area OR')).map((hit) => hit.name)).toEqual([]);
    expect((await code.search('NEAR(area')).map((hit) => hit.name)).toEqual([]);
    expect((await code.search('"area"*')).length).toBe(5);
    expect((await code.search('shape returns')).map((hit) => hit.name)).toEqual(['compute']);
  });

  it('answers [] for an empty or punctuation-only query', async () => {
    const { code } = await searchable();
    for (const text of ['', '   ', '"', '***', '()', '."-:^']) expect(await code.search(text), JSON.stringify(text)).toEqual([]);
    expect(await code.search('nomatchanywhere')).toEqual([]);
  });
});
