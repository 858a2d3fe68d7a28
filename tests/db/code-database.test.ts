import { describe, expect, it } from 'vitest';
import { CODE_TARGETS, fileInput as file, located, openCodeOn, parsed, searchIndexIds as ftsIds, symbol } from '../helpers/code-fixtures.ts';

describe.each(CODE_TARGETS)('CodeDatabase on the %s', (_name, start, traits) => {
  const openCode = () => openCodeOn(start);

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

  it('stores a file with its symbols in one go, and replaces them on the next save', async () => {
    const { db, code } = await openCode();
    const project = await code.ensureProject('/p', 'p');
    const first = await code.saveFile(project.id, file('m.py'), parsed([symbol('Alpha', 'class'), symbol('run', 'method', { qualified_name: 'Alpha.run', parent: 'Alpha' })]));
    expect(first.symbols).toBe(2);
    expect((await code.symbolsOf(first.file_id)).map((s) => [s.qualified_name, s.parent])).toEqual([
      ['Alpha', null],
      ['Alpha.run', 'Alpha'],
    ]);

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

describe.each(CODE_TARGETS)('CodeDatabase.pathsUnder on the %s', (_name, start) => {
  it('lists the files under a folder by its exact name: no pattern characters, no sibling sharing its prefix', async () => {
    const { code } = await openCodeOn(start);
    const project = await code.ensureProject('/p', 'p');
    for (const path of ['a_b/x.py', 'a_b/sub/y.py', 'aXb/z.py', 'a_b2/w.py', 'a%b/v.py', 'a_b.py']) await code.saveFile(project.id, file(path), parsed([]));
    expect(await code.pathsUnder(project.id, 'a_b')).toEqual(['a_b/sub/y.py', 'a_b/x.py']);
    expect(await code.pathsUnder(project.id, 'a%b')).toEqual(['a%b/v.py']);
    expect(await code.pathsUnder(project.id, 'nothing')).toEqual([]);
  });
});

describe.each(CODE_TARGETS)('CodeDatabase, many files at once, on the %s', (_name, start) => {
  it('stores and removes more files in one call than a statement may bind parameters for', async () => {
    const { code } = await openCodeOn(start);
    const project = await code.ensureProject('/p', 'p');
    const paths = Array.from({ length: 1_200 }, (_, n) => `pkg/m${n}.py`);
    const empty = { symbols: [], references: { names: '', positions: new Uint8Array() }, error: null };
    const ids = await code.writeFiles(project.id, paths.map((path) => ({ file: file(path), content: empty })));
    expect(ids.size).toBe(1_200);
    await code.removeFiles(project.id, [...paths.slice(1), 'never-there.py']);
    expect((await code.files(project.id)).map((stored) => stored.path)).toEqual(['pkg/m0.py']);
  });
});

describe.each(CODE_TARGETS)("CodeDatabase's look-ups for the code tools, on the %s", (_name, start) => {
  it('finds symbols by qualified name, or by the end of one, within a project or file; children; files by id and path', async () => {
    const { code } = await openCodeOn(start);
    const project = await code.ensureProject('/p', 'p');
    const m = await code.saveFile(project.id, file('m.py'), parsed([located('A', 1, 9, 'class'), located('A.run', 2, 4, 'method'), located('MxN', 10, 14, 'class'), located('MxN.run', 11, 12, 'method')]));
    const n = await code.saveFile(project.id, file('n.py'), parsed([located('C', 1, 5, 'class'), located('C.run', 2, 3, 'method'), located('go', 6, 7)]));
    const names = async (query: string, options: { fileId?: number; projectId?: number } = {}) =>
      (await code.symbolsNamed(query, { limit: 10, ...options })).map((found) => `${found.file_id === m.file_id ? 'm' : 'n'}:${found.qualified_name}`);
    expect(await names('A.run')).toEqual(['m:A.run']);
    expect(await names('go')).toEqual(['n:go']);
    // No symbol is called `run`: those whose qualified name ends with `.run`, in file and line order.
    expect(await names('run')).toEqual(['m:A.run', 'm:MxN.run', 'n:C.run']);
    expect(await names('run', { fileId: n.file_id })).toEqual(['n:C.run']);
    expect(await names('run', { projectId: 9_999 })).toEqual([]);
    // `_` is a LIKE wildcard: it narrows the search, it never makes M_N.run find MxN.run.
    expect(await names('M_N.run')).toEqual([]);
    expect((await code.childrenOf([m.file_id, n.file_id], ['A', 'C', 'MxN'])).map((child) => child.qualified_name)).toEqual(['A.run', 'C.run', 'MxN.run']);
    expect(await code.childrenOf([n.file_id], ['A'])).toEqual([]);
    expect(await code.childrenOf([], ['A'])).toEqual([]);
    expect((await code.filesByIds([n.file_id, m.file_id, m.file_id, 99_999])).map((found) => found.path).sort()).toEqual(['m.py', 'n.py']);
    expect(await code.filesByIds([])).toEqual([]);
    expect((await code.filesAt(project.id, ['n.py', 'gone.py'])).map((found) => found.path)).toEqual(['n.py']);
    expect(await code.filesAt(project.id, [])).toEqual([]);
  });
});
