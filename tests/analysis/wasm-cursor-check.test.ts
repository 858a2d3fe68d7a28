// Its own file: it changes web-tree-sitter's module for a moment, and each test file has its own.
import { expect, it } from 'vitest';
import { defaultGrammarFiles } from '../../src/analysis/grammar-files.ts';
import { loadGrammar } from '../../src/analysis/grammar-loader.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import { emscriptenModule } from '../helpers/grammar.ts';

it('rejects every parse, naming what changed, while web-tree-sitter is not what the cursor reads; parses again once it is', async () => {
  const parser = createSourceParser();
  const grammars = defaultGrammarFiles();
  const module = emscriptenModule(await loadGrammar(grammars.core, grammars.grammar('python')));
  const startIndex = module._ts_tree_cursor_start_index_wasm;
  module._ts_tree_cursor_start_index_wasm = module._ts_tree_cursor_end_index_wasm;
  try {
    const rejection = /^web-tree-sitter's internals are not those the tree walk reads \(src\/analysis\/wasm-cursor\.ts, written for web-tree-sitter 0\.25\.10\): on the root/;
    await expect(parser.parse('class A:\n    pass\n', 'python')).rejects.toThrow(rejection);
    await expect(parser.syntaxTree('class A:\n    pass\n', 'python')).rejects.toThrow(rejection);
  } finally {
    module._ts_tree_cursor_start_index_wasm = startIndex;
  }
  const parsed = await parser.parse('class A:\n    pass\n', 'python');
  expect(parsed.symbols.map((symbol) => symbol.qualified_name)).toEqual(['A']);
  expect(parsed.error).toBeNull();
});
