import { describe, expect, it } from 'vitest';
import { CODE_TARGETS, fileInput as file, openCodeOn, parsed, searchIndexIds as ftsIds, symbol } from '../helpers/code-fixtures.ts';

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
