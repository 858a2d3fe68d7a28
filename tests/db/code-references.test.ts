import { describe, expect, it } from 'vitest';
import type { ParsedReference } from '../../src/db/code-types.ts';
import { CODE_TARGETS, fileInput, located, openCodeOn, parsed, searchIndexIds, symbol } from '../helpers/code-fixtures.ts';

const use = (name: string, line: number, column: number, kind: ParsedReference['kind'] = 'call'): ParsedReference => ({ name, line, column, kind });

describe.each(CODE_TARGETS)('CodeDatabase.references on the %s', (_name, start, traits) => {
  async function stored() {
    const { db, code } = await openCodeOn(start);
    const p = await code.ensureProject('/p', 'p');
    const q = await code.ensureProject('/q', 'q');
    // json/__init__.py in small: `dumps` (lines 10-20) holds a call of `encode`, its class `Enc` a method `run`.
    const dumps = symbol('dumps', 'function', { line_start: 10, line_end: 20 });
    const enc = symbol('Enc', 'class', { line_start: 30, line_end: 50 });
    const run = symbol('run', 'method', { qualified_name: 'Enc.run', parent: 'Enc', line_start: 35, line_end: 40 });
    const imported = symbol('encode', 'import', { line_start: 1, line_end: 1 });
    await code.saveFile(
      p.id,
      fileInput('json/__init__.py', 60),
      parsed([imported, dumps, enc, run], null, [
        use('encode', 1, 20, 'import'),
        use('encode', 15, 28, 'attribute'),
        use('encode', 15, 12, 'call'),
        use('Encode', 16, 5, 'name'),
        use('encode', 37, 9),
        use('encode', 45, 9),
        use('encode', 55, 1, 'name'),
        use('dumps', 38, 16),
      ]),
    );
    await code.saveFile(p.id, fileInput('a/first.py'), parsed([], null, [use('encode', 3, 1), use('encoder', 4, 1), use('_default_encoder', 5, 1, 'attribute')]));
    await code.saveFile(q.id, fileInput('b.py'), parsed([], null, [use('encode', 7, 2, 'type')]));
    await code.saveFile(p.id, fileInput('z.py'), parsed([symbol('unrelated')], null, [use('dumps', 1, 1)]));
    return { db, code, p, q };
  }

  it('finds every use of a name, by path then line then column, each with the innermost symbol around it', async () => {
    const { code, p, q } = await stored();
    expect(await code.references('encode')).toEqual([
      { name: 'encode', line: 3, column: 1, kind: 'call', project_id: p.id, path: 'a/first.py', enclosing: null },
      { name: 'encode', line: 7, column: 2, kind: 'type', project_id: q.id, path: 'b.py', enclosing: null },
      // An import is never the enclosing symbol, even on its own line.
      { name: 'encode', line: 1, column: 20, kind: 'import', project_id: p.id, path: 'json/__init__.py', enclosing: null },
      { name: 'encode', line: 15, column: 12, kind: 'call', project_id: p.id, path: 'json/__init__.py', enclosing: 'dumps' },
      { name: 'encode', line: 15, column: 28, kind: 'attribute', project_id: p.id, path: 'json/__init__.py', enclosing: 'dumps' },
      { name: 'encode', line: 37, column: 9, kind: 'call', project_id: p.id, path: 'json/__init__.py', enclosing: 'Enc.run' },
      { name: 'encode', line: 45, column: 9, kind: 'call', project_id: p.id, path: 'json/__init__.py', enclosing: 'Enc' },
      { name: 'encode', line: 55, column: 1, kind: 'name', project_id: p.id, path: 'json/__init__.py', enclosing: null },
    ]);
  });

  it('matches the name exactly: not another case, not a longer name, not a name holding it', async () => {
    const { code } = await stored();
    expect((await code.references('Encode')).map((r) => [r.path, r.line])).toEqual([['json/__init__.py', 16]]);
    expect((await code.references('encoder')).map((r) => [r.path, r.line])).toEqual([['a/first.py', 4]]);
    expect((await code.references('_default_encoder')).map((r) => r.kind)).toEqual(['attribute']);
    expect(await code.references('default')).toEqual([]);
    expect(await code.references('enc')).toEqual([]);
    expect(await code.references('nowhere')).toEqual([]);
    for (const odd of ['', '  ', '*', '"encode"', 'encode OR dumps', "encode'); DROP TABLE files; --"]) {
      expect(await code.references(odd), odd).toEqual([]);
    }
  });

  it('filters by project and by file, and stops at the limit, before or after a page of files', async () => {
    const { code, p, q } = await stored();
    expect((await code.references('encode', { projectId: q.id })).map((r) => r.path)).toEqual(['b.py']);
    expect((await code.references('encode', { projectId: p.id, path: 'json/__init__.py' })).map((r) => r.line)).toEqual([1, 15, 15, 37, 45, 55]);
    expect(await code.references('encode', { path: 'missing.py' })).toEqual([]);
    expect((await code.references('encode', { limit: 3 })).map((r) => [r.path, r.line])).toEqual([
      ['a/first.py', 3],
      ['b.py', 7],
      ['json/__init__.py', 1],
    ]);
    expect(await code.references('encode', { limit: 0 })).toEqual([]);
  });

  it('reads past a page of files when the first ones hold too few uses', async () => {
    const { code } = await openCodeOn(start);
    const p = await code.ensureProject('/p', 'p');
    const writes = Array.from({ length: 230 }, (_, n) => ({
      file: fileInput(`m${String(n).padStart(3, '0')}.py`),
      content: { symbols: [], references: { names: '', positions: new Uint8Array() }, error: null },
    }));
    await code.writeFiles(p.id, writes);
    await code.saveFile(p.id, fileInput('m229.py'), parsed([], null, [use('late', 2, 2)]));
    await code.saveFile(p.id, fileInput('m150.py'), parsed([], null, [use('late', 1, 1)]));
    expect((await code.references('late')).map((r) => r.path)).toEqual(['m150.py', 'm229.py']);
  });

  it('replaces a file\'s references when it is saved again, and drops them with the file', async () => {
    const { db, code, p } = await stored();
    await code.saveFile(p.id, { ...fileInput('a/first.py'), hash: 'new' }, parsed([], null, [use('fresh', 9, 9)]));
    expect((await code.references('encode')).map((r) => r.path)).not.toContain('a/first.py');
    expect((await code.references('fresh')).map((r) => r.path)).toEqual(['a/first.py']);
    await code.removeFiles(p.id, ['a/first.py', 'json/__init__.py']);
    expect(await code.references('fresh')).toEqual([]);
    expect((await code.references('encode')).map((r) => r.path)).toEqual(['b.py']);
    const files = await code.files(p.id);
    expect(await searchIndexIds(db, traits.driver, 'file_references_fts')).toEqual(
      traits.driver === 'sqlite' ? [...files.map((f) => f.id), ...(await code.files((await code.projectByRoot('/q'))!.id)).map((f) => f.id)].sort((a, b) => a - b) : null,
    );
  });

  it('writes nothing of a file whose references are malformed, naming the bad field', async () => {
    const { code, p } = await stored();
    const bad = parsed([symbol('fine')], null, [use('ok', 1, 1), { name: 'x', line: 0, column: 1, kind: 'call' }]);
    await expect(code.saveFile(p.id, fileInput('bad.py'), bad)).rejects.toMatchObject({ codeName: 'VALIDATION_ERROR', data: { field: 'references[1].line' } });
    expect(await code.file(p.id, 'bad.py')).toBeNull();
    expect(await code.references('ok')).toEqual([]);
  });
});

// Issue 10's own checks of the store (they ran against its interim store first).
describe.each(CODE_TARGETS)('the references store, as the code tools use it, on the %s', (_name, start) => {
  it('answers by path, line and column, each with the innermost enclosing class, function or method', async () => {
    const { code } = await openCodeOn(start);
    const project = await code.ensureProject('/p', 'p');
    const other = await code.ensureProject('/q', 'q');
    const symbols = [located('os', 1, 1, 'import'), located('Outer', 3, 20, 'class'), located('Outer.run', 5, 12, 'method'), located('Outer.run.inner', 8, 10)];
    await code.saveFile(project.id, fileInput('b.py'), parsed(symbols, null, [use('run', 9, 5, 'call'), use('run', 1, 8, 'name'), use('run', 4, 3, 'attribute'), use('run', 25, 1, 'name'), use('x', 9, 1, 'name')]));
    await code.saveFile(project.id, fileInput('a.py'), parsed([], null, [use('run', 2, 2, 'call')]));
    await code.saveFile(other.id, fileInput('c.py'), parsed([], null, [use('run', 1, 1, 'name')]));
    const all = await code.references('run');
    expect(all.map((r) => [r.project_id, r.path, r.line, r.column, r.kind, r.enclosing])).toEqual([
      [project.id, 'a.py', 2, 2, 'call', null],
      [project.id, 'b.py', 1, 8, 'name', null],
      [project.id, 'b.py', 4, 3, 'attribute', 'Outer'],
      [project.id, 'b.py', 9, 5, 'call', 'Outer.run.inner'],
      [project.id, 'b.py', 25, 1, 'name', null],
      [other.id, 'c.py', 1, 1, 'name', null],
    ]);
    expect((await code.references('run', { projectId: other.id })).map((r) => r.path)).toEqual(['c.py']);
    expect((await code.references('run', { projectId: project.id, path: 'b.py', limit: 2 })).map((r) => r.line)).toEqual([1, 4]);
  });

  it("replaces a file's references with the file, and drops them with it", async () => {
    const { code } = await openCodeOn(start);
    const project = await code.ensureProject('/p', 'p');
    await code.saveFile(project.id, fileInput('m.py'), parsed([], null, [use('old', 1, 1), use('kept', 2, 1)]));
    await code.saveFile(project.id, { ...fileInput('m.py'), hash: 'changed' }, parsed([], null, [use('kept', 3, 1), use('new', 4, 1)]));
    expect(await code.references('old')).toEqual([]);
    expect((await code.references('kept')).map((r) => r.line)).toEqual([3]);
    await code.removeFiles(project.id, ['m.py']);
    expect(await code.references('kept')).toEqual([]);
    expect(await code.references('new')).toEqual([]);
  });
});
