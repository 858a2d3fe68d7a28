import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonReferences } from '../../src/analysis/python-references.ts';
import type { ParsedReference } from '../../src/analysis/types.ts';
import { withTree } from '../helpers/grammar.ts';
import { astReferences, pythonJsonPackage } from '../helpers/python-ast.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const references = (source: string): Promise<ParsedReference[]> => withTree('python', source, pythonReferences);

const short = (refs: ParsedReference[]) => refs.map((ref) => `${ref.kind} ${ref.name} ${ref.line}:${ref.column}`);
const key = ([name, line, column, kind]: [string, number, number, string]) => `${kind} ${name} ${line}:${column}`;

describe('pythonReferences', () => {
  it('finds calls, attribute reads, imports and type references, not definitions', async () => {
    const source = [
      'import os.path as osp, sys',
      'from .shapes import Circle, Square as Box',
      'def area(shape: Shape, *, scale: float = DEFAULT) -> Area:',
      '    result = shape.width * scale',
      '    shape.cache = compute(result)',
      '    return Box.of(result)',
      'class C(Base, metaclass=Meta):',
      '    x: int = y',
      'for k, v in items: del k',
      'lambda q, r=s: q',
      '[t for t in ts if t]',
      'global g',
    ].join('\n');
    expect(short(await references(source))).toEqual([
      'import os 1:8',
      'import path 1:11',
      'import sys 1:24',
      'import shapes 2:7',
      'import Circle 2:21',
      'import Square 2:29',
      'type Shape 3:17',
      'type float 3:34',
      'name DEFAULT 3:42',
      'type Area 3:54',
      'name shape 4:14',
      'attribute width 4:20',
      'name scale 4:28',
      'name shape 5:5',
      'call compute 5:19',
      'name result 5:27',
      'name Box 6:12',
      'call of 6:16',
      'name result 6:19',
      'name Base 7:9',
      'name Meta 7:25',
      'type int 8:8',
      'name y 8:14',
      'name items 9:13',
      'name s 10:13',
      'name q 10:16',
      'name t 11:2',
      'name ts 11:13',
      'name t 11:19',
    ]);
  });

  it('reads match patterns as ast does: class and dotted values are references, captures are not', async () => {
    const source = ['match p:', '    case Point(x=0, y=yy) as pt if yy > lim:', '        pass', '    case Color.RED | [a, *rest]:', '        pass'].join('\n');
    expect(short(await references(source))).toEqual(['name p 1:7', 'name Point 2:10', 'name yy 2:36', 'name lim 2:41', 'name Color 4:10', 'attribute RED 4:16']);
  });

  it('gives columns in UTF-16 code units on lines with non-ASCII text', async () => {
    // web-tree-sitter parses the string as UTF-16: é is one unit, 😀 two.
    const refs = await references("s = 'héllo😀' + foo.bar\nnaïve = ünïcode\n");
    expect(short(refs)).toEqual(['name foo 1:17', 'attribute bar 1:21', 'name ünïcode 2:9']);
  });

  it('walks a deeply nested expression without recursion', async () => {
    const depth = 5_000;
    const refs = await references(`x = ${'('.repeat(depth)}deep${')'.repeat(depth)}\n`);
    expect(short(refs)).toEqual([`name deep 1:${depth + 5}`]);
  });

  it('finds in every file of the machine\'s `json` package exactly what CPython\'s ast finds', async () => {
    const root = await pythonJsonPackage();
    if (!root) {
      console.warn('python3 not found: skipped the comparison with CPython\'s ast');
      return;
    }
    const files = (await readdir(root)).filter((name) => name.endsWith('.py')).map((name) => join(root, name));
    expect(files.length).toBeGreaterThan(3);
    const expected = await astReferences(files);
    let total = 0;
    for (const file of files) {
      const ours = short(await references(await readFile(file, 'utf8'))).sort();
      expect(ours, file).toEqual(expected[file]!.map(key).sort());
      total += ours.length;
    }
    expect(total).toBeGreaterThan(500);
  });

  it('agrees with CPython\'s ast on a file of tricky cases (f-strings, decorators, walrus, annotations, non-ASCII)', async () => {
    const file = join(await makeTempDir(), 'tricky.py');
    await writeFile(
      file,
      [
        'from __future__ import annotations',
        'import a.b.c as d',
        '@decorate.with_(arg)',
        'async def f(x: typing.List[int] = None, /, *args: T, **kw) -> dict[str, "Fwd"]:',
        '    print(f"{x!r:>{width}} {obj.attr}")',
        '    if (n := len(x)) > limit: await g(n)',
        '    ü = café.ñame  # ñ',
        '    (a, b), c = x[i:j], k',
        '    with open(p) as (fh, other), lock: yield from it',
        '    try: pass',
        '    except (E1, mod.E2) as err: raise Z from err',
        '    nonlocal_thing = [y async for y in src if y.ok]',
        '    return {key: val for key, val in pairs}, lambda: w',
        'class K(Base[T], **opts): field: Annotated[int, meta()] = default_factory(list)',
        // tree-sitter reads this assignment as a PEP 695 type alias.
        'type(obj).attr = value',
      ].join('\n'),
    );
    const expected = await astReferences([file]);
    expect(short(await references(await readFile(file, 'utf8'))).sort()).toEqual(expected[file]!.map(key).sort());
  });
});
