import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSourceParser, DEFAULT_MAX_TREE_NODES, LANGUAGES, type GrammarFiles, type SyntaxNode } from '../../src/analysis/index.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const parser = createSourceParser();
const WASMS = join(REPO_ROOT, 'node_modules/tree-sitter-wasms/out');

function countNodes(node: SyntaxNode): number {
  return 1 + (node.children ?? []).reduce((sum, child) => sum + countNodes(child), 0);
}

describe('createSourceParser', () => {
  it.each([
    ['pkg/mod.py', 'python'],
    ['a.ts', 'typescript'],
    ['a.mts', 'typescript'],
    ['a.cts', 'typescript'],
    ['types.d.ts', 'typescript'],
    ['App.tsx', 'tsx'],
    ['a.js', 'javascript'],
    ['a.mjs', 'javascript'],
    ['a.cjs', 'javascript'],
    ['View.jsx', 'javascript'],
    ['UPPER.PY', 'python'],
    ['README.md', null],
    ['Makefile', null],
    ['a.pyc', null],
  ])('languageOf(%s) is %s', (path, language) => {
    expect(parser.languageOf(path)).toBe(language);
  });

  it('gives a file\'s syntax tree on demand: named nodes only, with 0-based [row, column] positions', async () => {
    const result = await parser.syntaxTree('x = 1\n', 'python');
    expect(result.tree).toEqual({
      type: 'module',
      start: [0, 0],
      end: [1, 0],
      children: [
        {
          type: 'expression_statement',
          start: [0, 0],
          end: [0, 5],
          children: [
            {
              type: 'assignment',
              start: [0, 0],
              end: [0, 5],
              children: [
                { type: 'identifier', start: [0, 0], end: [0, 1] },
                { type: 'integer', start: [0, 4], end: [0, 5] },
              ],
            },
          ],
        },
      ],
    });
    expect(result.truncated).toBe(false);
    expect(result.error).toBeNull();
    expect((await parser.syntaxTree('def f(:\n', 'python')).error).toMatch(/^syntax error at 1:/);
  });

  it('cuts the tree at the node limit breadth first, keeping the outline, and says so', async () => {
    const source = Array.from({ length: 40 }, (_, i) => `function f${i}(a, b) { return a + b; }`).join('\n');
    const cut = await parser.syntaxTree(source, 'javascript', 50);
    expect(cut.truncated).toBe(true);
    expect(countNodes(cut.tree)).toBe(50);
    expect(cut.tree.children).toHaveLength(40);
    const whole = await parser.syntaxTree(source, 'javascript');
    expect(whole.truncated).toBe(false);
    expect(countNodes(whole.tree)).toBeGreaterThan(50);
    expect(countNodes(whole.tree)).toBeLessThan(DEFAULT_MAX_TREE_NODES);
  });

  it('an input the parser throws on gives an error result, and the parser keeps working', async () => {
    // web-tree-sitter throws on anything but a string; a caller's bug must not take the indexer down.
    const failed = await parser.parse(new Uint8Array([1, 2]) as unknown as string, 'typescript');
    expect(failed).toEqual({ language: 'typescript', symbols: [], references: [], error: expect.stringMatching(/^parse failed: .+/) });
    const after = await parser.parse('class A {}\n', 'typescript');
    expect(after.symbols.map((s) => s.name)).toEqual(['A']);
  });

  it('parses all four languages at once from several parser instances', async () => {
    const sources = { python: 'def f(): g()\n', typescript: 'function f() { g(); }\n', tsx: 'const f = () => <G />;\n', javascript: 'var f = function () { g(); };\n' };
    const results = await Promise.all(
      [createSourceParser(), createSourceParser()].flatMap((each) => LANGUAGES.map((language) => each.parse(sources[language], language))),
    );
    expect(results.map((r) => [r.language, r.symbols.map((s) => s.qualified_name), r.references.map((ref) => `${ref.kind} ${ref.name}`), r.error])).toEqual(
      [...LANGUAGES, ...LANGUAGES].map((language) => [language, ['f'], [language === 'tsx' ? 'call G' : 'call g'], null]),
    );
  });

  it('loads grammars from the paths it is given, and retries a grammar that was missing', async () => {
    const dir = await makeTempDir('ca-wasm-');
    const grammars: GrammarFiles = {
      core: join(REPO_ROOT, 'node_modules/web-tree-sitter/tree-sitter.wasm'),
      grammar: (language) => join(dir, `${language}.wasm`),
    };
    const cached = createSourceParser({ grammars, readBytes: nodeRuntime.fs.readBytes });
    await expect(cached.parse('x = 1\n', 'python')).rejects.toThrow(/python\.wasm/);
    // As the executable does: the cache directory is filled, and the next file works.
    await copyFile(join(WASMS, 'tree-sitter-python.wasm'), join(dir, 'python.wasm'));
    const result = await cached.parse('def f(): pass\n', 'python');
    expect(result.symbols.map((s) => s.name)).toEqual(['f']);
  });
});
