import { describe, expect, it } from 'vitest';
import type { ParsedReference, ParsedSymbol, ParseResult } from '../../src/analysis/types.ts';
import { CodeDatabase } from '../../src/db/code-database.ts';
import { codeDialect, setupSearch } from '../../src/db/code-dialect.ts';
import { CODE_SCHEMA } from '../../src/db/code-schema.ts';
import { DRIVER_TARGETS } from '../helpers/driver.ts';

const TARGETS = DRIVER_TARGETS.filter(([name]) => name !== 'driver child process');

const symbol = (qualified_name: string, line_start: number, line_end: number, kind: ParsedSymbol['kind'] = 'function'): ParsedSymbol => {
  const dot = qualified_name.lastIndexOf('.');
  return { name: qualified_name.slice(dot + 1), kind, qualified_name, parent: dot < 0 ? null : qualified_name.slice(0, dot), line_start, line_end, signature: null, docstring: null };
};
const ref = (name: string, line: number, column: number, kind: ParsedReference['kind'] = 'name'): ParsedReference => ({ name, line, column, kind });
const parsed = (symbols: ParsedSymbol[], references: ParsedReference[]): ParseResult => ({
  language: 'python',
  symbols,
  references,
  tree: { type: 'module', start: [0, 0], end: [0, 0] },
  tree_truncated: false,
  error: null,
});
const file = (path: string, hash = path) => ({ path, language: 'python', size: 10, mtime_ms: 1, hash, lines: 30 });

describe.each(TARGETS)('the references store on the %s', (_name, start, traits) => {
  async function open() {
    const db = (await start()).client();
    await db.syncSchema(CODE_SCHEMA);
    await setupSearch(db, codeDialect(traits.driver));
    return CodeDatabase.open(db);
  }

  it('answers by project, path, line and column, each with the innermost enclosing class, function or method', async () => {
    const code = await open();
    const project = await code.ensureProject('/p', 'p');
    const other = await code.ensureProject('/q', 'q');
    const symbols = [symbol('os', 1, 1, 'import'), symbol('Outer', 3, 20, 'class'), symbol('Outer.run', 5, 12, 'method'), symbol('Outer.run.inner', 8, 10)];
    await code.saveFile(project.id, file('b.py'), parsed(symbols, [ref('run', 9, 5, 'call'), ref('run', 1, 8), ref('run', 4, 3, 'attribute'), ref('run', 25, 1), ref('x', 9, 1)]));
    await code.saveFile(project.id, file('a.py'), parsed([], [ref('run', 2, 2, 'call')]));
    await code.saveFile(other.id, file('c.py'), parsed([], [ref('run', 1, 1)]));
    const all = await code.references('run');
    expect(all.map((r) => [r.project_id, r.path, r.line, r.column, r.kind, r.enclosing])).toEqual([
      [project.id, 'a.py', 2, 2, 'call', null],
      [project.id, 'b.py', 1, 8, 'name', null],
      [project.id, 'b.py', 4, 3, 'attribute', 'Outer'],
      [project.id, 'b.py', 9, 5, 'call', 'Outer.run.inner'],
      [project.id, 'b.py', 25, 1, 'name', null],
      [other.id, 'c.py', 1, 1, 'name', null],
    ]);
    expect(all[0]).toEqual({ name: 'run', line: 2, column: 2, kind: 'call', project_id: project.id, path: 'a.py', enclosing: null });
    expect((await code.references('run', { projectId: other.id })).map((r) => r.path)).toEqual(['c.py']);
    expect((await code.references('run', { projectId: project.id, path: 'b.py', limit: 2 })).map((r) => r.line)).toEqual([1, 4]);
    expect(await code.references('nothing')).toEqual([]);
  });

  it('replaces a file\'s references with the file, and drops them with it', async () => {
    const code = await open();
    const project = await code.ensureProject('/p', 'p');
    await code.saveFile(project.id, file('m.py'), parsed([], [ref('old', 1, 1), ref('kept', 2, 1)]));
    await code.saveFile(project.id, file('m.py', 'changed'), parsed([], [ref('kept', 3, 1), ref('new', 4, 1)]));
    expect(await code.references('old')).toEqual([]);
    expect((await code.references('kept')).map((r) => r.line)).toEqual([3]);
    await code.removeFiles(project.id, ['m.py']);
    expect(await code.references('kept')).toEqual([]);
    expect(await code.references('new')).toEqual([]);
  });

  it('finds symbols by qualified name, or by the end of one, within a project or file', async () => {
    const code = await open();
    const project = await code.ensureProject('/p', 'p');
    const m = await code.saveFile(project.id, file('m.py'), parsed([symbol('A', 1, 9, 'class'), symbol('A.run', 2, 4, 'method'), symbol('MxN', 10, 14, 'class'), symbol('MxN.run', 11, 12, 'method')], []));
    const n = await code.saveFile(project.id, file('n.py'), parsed([symbol('C', 1, 5, 'class'), symbol('C.run', 2, 3, 'method'), symbol('go', 6, 7)], []));
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
