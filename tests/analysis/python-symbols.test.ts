import { describe, expect, it } from 'vitest';
import { createSourceParser } from '../../src/analysis/index.ts';
import { docs, heads, rows, type Row } from './symbol-fields.ts';

const parser = createSourceParser();
const parse = (source: string) => parser.parse(source, 'python');

describe('Python symbols', () => {
  it.each<[string, string, Row[]]>([
    ['a class and its methods', 'class A:\n    def m(self):\n        pass\n', [['class', 'A', null, '1-3'], ['method', 'A.m', 'A', '2-3']]],
    [
      'decorated, async, static and class methods (decorators belong to the range)',
      'class A:\n    @staticmethod\n    def s():\n        pass\n    @classmethod\n    def c(cls): pass\n    async def a(self): pass\n    @property\n    @cache\n    def p(self): pass\n',
      [
        ['class', 'A', null, '1-10'],
        ['method', 'A.s', 'A', '2-4'],
        ['method', 'A.c', 'A', '5-6'],
        ['method', 'A.a', 'A', '7-7'],
        ['method', 'A.p', 'A', '8-10'],
      ],
    ],
    [
      'nested functions and classes take the enclosing one as parent',
      'def outer():\n    def inner():\n        class Local:\n            def m(self): pass\n    return inner\n',
      [
        ['function', 'outer', null, '1-5'],
        ['function', 'outer.inner', 'outer', '2-4'],
        ['class', 'outer.inner.Local', 'outer.inner', '3-4'],
        ['method', 'outer.inner.Local.m', 'outer.inner.Local', '4-4'],
      ],
    ],
    [
      'a class nested in a class, and functions in if/try/with blocks',
      'class A:\n    class B:\n        def m(self): pass\nif X:\n    def f(): pass\nelse:\n    def g(): pass\ntry:\n    def h(): pass\nexcept E:\n    pass\nwith c:\n    class C: pass\n',
      [
        ['class', 'A', null, '1-3'],
        ['class', 'A.B', 'A', '2-3'],
        ['method', 'A.B.m', 'A.B', '3-3'],
        ['function', 'f', null, '5-5'],
        ['function', 'g', null, '7-7'],
        ['function', 'h', null, '9-9'],
        ['class', 'C', null, '13-13'],
      ],
    ],
    [
      'imports: one per bound name',
      'import os\nimport a.b as c, d.e\nfrom x import y, z as w\nfrom . import (q,\n    r)\nfrom __future__ import annotations\nfrom m import *\n',
      [
        ['import', 'os', null, '1-1'],
        ['import', 'c', null, '2-2'],
        ['import', 'd.e', null, '2-2'],
        ['import', 'y', null, '3-3'],
        ['import', 'w', null, '3-3'],
        ['import', 'q', null, '4-5'],
        ['import', 'r', null, '4-5'],
        ['import', 'annotations', null, '6-6'],
        ['import', '*', null, '7-7'],
      ],
    ],
    ['an import inside a function belongs to it', 'def f():\n    import json\n', [['function', 'f', null, '1-2'], ['import', 'f.json', 'f', '2-2']]],
    ['lambdas and assignments are not symbols', 'f = lambda x: x\nX = 1\n', []],
  ])('%s', async (_, source, expected) => {
    const result = await parse(source);
    expect(rows(result.symbols)).toEqual(expected);
    expect(result.error).toBeNull();
  });

  it('signatures are the head as written, on one line', async () => {
    const { symbols } = await parse(
      'class A(B, metaclass=M):\n    async def m(\n        self,\n        a: int = 1,\n    ) -> "A":\n        pass\nimport os.path as p\nfrom x import (\n    y,\n)\n',
    );
    expect(heads(symbols)).toEqual([
      ['A', 'class A(B, metaclass=M)'],
      ['A.m', 'async def m(self, a: int = 1,) -> "A"'],
      ['p', 'import os.path as p'],
      ['y', 'from x import (y,)'],
    ]);
  });

  it.each<[string, string, string | null]>([
    ['a one-line docstring', 'def f():\n    "Doc."\n', 'Doc.'],
    ['single quotes, raw prefix', "def f():\n    r'''Raw \\d.'''\n", 'Raw \\d.'],
    ['indentation cleaned like inspect.cleandoc', 'def f():\n    """Title.\n\n    Usage:\n        f()\n    """\n', 'Title.\n\nUsage:\n    f()'],
    ['tabs expanded to 8 columns', 'def f():\n\t"""Title.\n\n\tBody.\n\t"""\n', 'Title.\n\nBody.'],
    ['comments before the docstring are skipped', 'def f():\n    # note\n    "Doc."\n', 'Doc.'],
    ['a string that is not the first statement', 'def f():\n    x = 1\n    "not a doc"\n', null],
    ['an f-string is no docstring', 'def f():\n    f"{x}"\n', null],
    ['an empty docstring', 'def f():\n    """   """\n', null],
  ])('docstring: %s', async (_, source, expected) => {
    const { symbols } = await parse(source);
    expect(docs(symbols)).toEqual([['f', expected]]);
  });

  it('class docstrings, and imports carry none', async () => {
    const { symbols } = await parse('import os\nclass A:\n    """About A."""\n');
    expect(docs(symbols)).toEqual([
      ['os', null],
      ['A', 'About A.'],
    ]);
  });

  it('a syntax error is reported at its first position and the rest is still read', async () => {
    const result = await parse('def ok():\n    pass\n\ndef bad(:\n    pass\n\nclass After:\n    def m(self): pass\n');
    expect(result.error).toBe('syntax error at 4:9');
    expect(rows(result.symbols)).toEqual([
      ['function', 'ok', null, '1-2'],
      ['function', 'bad', null, '4-5'],
      ['class', 'After', null, '7-8'],
      ['method', 'After.m', 'After', '8-8'],
    ]);
  });
});
