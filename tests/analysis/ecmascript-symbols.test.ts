import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ecmascriptSymbolReader } from '../../src/analysis/ecmascript-symbols.ts';
import { readSymbols } from '../../src/analysis/symbol-reader.ts';
import { createSourceParser, type Language } from '../../src/analysis/index.ts';
import { withTree } from '../helpers/grammar.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { docs, heads, rows, type Row } from './symbol-fields.ts';

const parser = createSourceParser();

describe('TypeScript, TSX and JavaScript symbols', () => {
  it.each<[string, Language, string, Row[]]>([
    [
      'ESM imports: one per bound name, the module for a side-effect import',
      'typescript',
      "import x, { a as b, c } from 'm';\nimport * as ns from 'n';\nimport 'side';\nimport type { T } from 't';\nimport fs = require('fs');\n",
      [
        ['import', 'x', null, '1-1'],
        ['import', 'b', null, '1-1'],
        ['import', 'c', null, '1-1'],
        ['import', 'ns', null, '2-2'],
        ['import', 'side', null, '3-3'],
        ['import', 'T', null, '4-4'],
        ['import', 'fs', null, '5-5'],
      ],
    ],
    [
      'CommonJS require, destructured too; other calls are no imports',
      'javascript',
      "const fs = require('fs');\nconst { join, resolve: res, sep = '/' } = require('path');\nconst [first] = require('list');\nconst y = load('z');\nfunction f() {\n  var lazy = require('lazy');\n}\n",
      [
        ['import', 'fs', null, '1-1'],
        ['import', 'join', null, '2-2'],
        ['import', 'res', null, '2-2'],
        ['import', 'sep', null, '2-2'],
        ['import', 'first', null, '3-3'],
        ['function', 'f', null, '5-7'],
        ['import', 'f.lazy', 'f', '6-6'],
      ],
    ],
    [
      'classes: exported, default, abstract, decorated, class expressions',
      'typescript',
      'export class A {}\nexport default class B {}\nabstract class C {}\n@Component({})\nclass D {}\nconst E = class {};\n',
      [
        ['class', 'A', null, '1-1'],
        ['class', 'B', null, '2-2'],
        ['class', 'C', null, '3-3'],
        ['class', 'D', null, '4-5'],
        ['class', 'E', null, '6-6'],
      ],
    ],
    ['an anonymous default class is named default', 'javascript', 'export default class {\n  m() {}\n}\n', [['class', 'default', null, '1-3'], ['method', 'default.m', 'default', '2-2']]],
    [
      'methods: plain, static, async, getters and setters, private, arrow and function fields',
      'typescript',
      'class A {\n  m() {}\n  static s() {}\n  async a() {}\n  get g() { return 1; }\n  set g(v) {}\n  #p() {}\n  f = () => 1;\n  h = function () {};\n  n = 1;\n  abstract x(): void;\n  o(): void;\n}\n',
      [
        ['class', 'A', null, '1-13'],
        ['method', 'A.m', 'A', '2-2'],
        ['method', 'A.s', 'A', '3-3'],
        ['method', 'A.a', 'A', '4-4'],
        ['method', 'A.g', 'A', '5-5'],
        ['method', 'A.g', 'A', '6-6'],
        ['method', 'A.#p', 'A', '7-7'],
        ['method', 'A.f', 'A', '8-8'],
        ['method', 'A.h', 'A', '9-9'],
      ],
    ],
    [
      'JavaScript class fields holding functions are methods',
      'javascript',
      'class A {\n  #x = () => 1;\n  static y = function () {};\n  z = 2;\n}\n',
      [['class', 'A', null, '1-5'], ['method', 'A.#x', 'A', '2-2'], ['method', 'A.y', 'A', '3-3']],
    ],
    [
      'functions: declarations, generators, arrow and function values at any level',
      'typescript',
      'function f() {\n  const g = () => {\n    let h = function () {};\n  };\n}\nfunction* gen() {}\nvar v = async (a: number): Promise<void> => {};\nexport const e = () => 1;\n',
      [
        ['function', 'f', null, '1-5'],
        ['function', 'f.g', 'f', '2-4'],
        ['function', 'f.g.h', 'f.g', '3-3'],
        ['function', 'gen', null, '6-6'],
        ['function', 'v', null, '7-7'],
        ['function', 'e', null, '8-8'],
      ],
    ],
    [
      'functions inside methods and methods of classes inside functions',
      'javascript',
      'class A {\n  m() {\n    const local = () => {};\n    function inner() {}\n  }\n}\nfunction make() {\n  return class Made {\n    run() {}\n  };\n}\n',
      [
        ['class', 'A', null, '1-6'],
        ['method', 'A.m', 'A', '2-5'],
        ['function', 'A.m.local', 'A.m', '3-3'],
        ['function', 'A.m.inner', 'A.m', '4-4'],
        ['function', 'make', null, '7-11'],
        ['class', 'make.Made', 'make', '8-10'],
        ['method', 'make.Made.run', 'make.Made', '9-9'],
      ],
    ],
    ['anonymous default functions are named default', 'javascript', 'export default function () {}\n', [['function', 'default', null, '1-1']]],
    [
      'interfaces, type aliases, enums, object-literal methods and callbacks are not symbols',
      'typescript',
      'interface I { m(): void }\ntype T = { f: () => void };\nenum E { A }\nconst o = { m() {}, n: () => 1 };\nlist.map((x) => x);\nfunction over(a: string): void;\n',
      [],
    ],
    [
      'TSX components',
      'tsx',
      'export const Button = ({ label }: Props) => <button>{label}</button>;\nexport function App() {\n  const onClick = () => {};\n  return <Button label="x" onClick={onClick} />;\n}\n',
      [
        ['function', 'Button', null, '1-1'],
        ['function', 'App', null, '2-5'],
        ['function', 'App.onClick', 'App', '3-3'],
      ],
    ],
    ['JSX in JavaScript', 'javascript', 'export function View() {\n  return <div />;\n}\n', [['function', 'View', null, '1-3']]],
  ])('%s', async (_, language, source, expected) => {
    const result = await parser.parse(source, language);
    expect(rows(result.symbols)).toEqual(expected);
    expect(result.error).toBeNull();
  });

  it('signatures are the heads as written, on one line', async () => {
    const { symbols } = await parser.parse(
      "import x from 'm';\nconst r = require('r');\n@dec()\nexport abstract class A<T>\n  extends B implements C {\n  static async m(\n    a: number,\n  ): Promise<void> {}\n  f = (y: string) => y;\n}\nexport function g(a = 1): number { return a; }\nlet h = async () => {};\nconst K = class extends A {};\n",
      'typescript',
    );
    expect(heads(symbols)).toEqual([
      ['x', "import x from 'm';"],
      ['r', "const r = require('r');"],
      ['A', 'abstract class A<T> extends B implements C'],
      ['A.m', 'static async m(a: number,): Promise<void>'],
      ['A.f', 'f = (y: string) =>'],
      ['g', 'function g(a = 1): number'],
      ['h', 'let h = async () =>'],
      ['K', 'const K = class extends A'],
    ]);
  });

  it('JSDoc: the /** */ comment right before the declaration or its export, markers stripped', async () => {
    const { symbols } = await parser.parse(
      [
        '/**',
        ' * Adds.',
        ' *   indented',
        ' * @param a first',
        ' */',
        'export function add(a, b) {}',
        '/** One line. */',
        'export const one = () => 1;',
        '/** Far away. */',
        '',
        'function far() {}',
        '/* Not JSDoc. */',
        'function plain() {}',
        '// Nor this.',
        'function line() {}',
        'class A {',
        '  /** The method. */',
        '  m() {}',
        '  /** The field. */',
        '  f = () => 1;',
        '}',
        '/***/',
        'function empty() {}',
      ].join('\n'),
      'javascript',
    );
    expect(docs(symbols)).toEqual([
      ['add', 'Adds.\n  indented\n@param a first'],
      ['one', 'One line.'],
      ['far', null],
      ['plain', null],
      ['line', null],
      ['A', null],
      ['A.m', 'The method.'],
      ['A.f', 'The field.'],
      ['empty', null],
    ]);
  });

  it.each([
    ['an unclosed parenthesis', 'function ok() {}\nif (x {\n}\nclass After {\n  m() {}\n}\n', 'syntax error at 2:6', 4],
    ['a missing token', 'function ok() {}\nfoo(1;\n\nclass After {\n  m() {}\n}\n', 'syntax error at 2:6', 4],
    ['an error wrapping several statements', 'function ok() {}\nconst x = (1 + ;\n\nclass After {\n  m() {}\n}\n', 'syntax error at 2:16', 4],
  ])('a syntax error (%s) is reported at its innermost position and the rest is still read', async (_, source, error, after) => {
    const result = await parser.parse(source, 'typescript');
    expect(result.error).toBe(error);
    expect(rows(result.symbols)).toEqual([
      ['function', 'ok', null, '1-1'],
      ['class', 'After', null, `${after}-${after + 2}`],
      ['method', 'After.m', 'After', `${after + 1}-${after + 1}`],
    ]);
  });

  it('code nested far deeper than the call stack still yields its symbols', async () => {
    const depth = 50_000;
    const source = `function deep() {\n  return ${'f('.repeat(depth)}${')'.repeat(depth)};\n}\nconst after = () => 1;\n`;
    const result = await parser.parse(source, 'javascript');
    expect(rows(result.symbols)).toEqual([
      ['function', 'deep', null, '1-3'],
      ['function', 'after', null, '4-4'],
    ]);
    expect(result.error).toBeNull();
  });

  // The parser reads the symbols on the references' walk; when the references fail, on a walk of their own.
  it('reads the same symbols on a walk of their own as on the references\' walk, on every file of node_modules/hono/dist', async () => {
    const root = join(REPO_ROOT, 'node_modules/hono/dist');
    const files = (await readdir(root, { recursive: true })).filter((name) => /\.[mc]?[jt]s$/.test(name));
    expect(files.length).toBeGreaterThan(400);
    let symbols = 0;
    for (const name of files) {
      const language = name.endsWith('.ts') ? 'typescript' : 'javascript';
      const source = await readFile(join(root, name), 'utf8');
      const parsed = await parser.parse(source, language);
      const alone = await withTree(language, source, (tree) => readSymbols(tree, source, ecmascriptSymbolReader(source)));
      expect(alone.symbols, name).toEqual(parsed.symbols);
      expect(alone.error, name).toBeNull();
      symbols += alone.symbols.length;
    }
    expect(symbols).toBeGreaterThan(1000);
  });
});
