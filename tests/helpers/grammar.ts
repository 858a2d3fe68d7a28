import { Language, Parser, type Node } from 'web-tree-sitter';
import { defaultGrammarFiles, toFilePath } from '../../src/analysis/grammar-files.ts';
import type { Language as LanguageName } from '../../src/analysis/types.ts';

/** Run `read` over the syntax tree of `source` in one language, the tree freed after. */
export async function withTree<T>(language: LanguageName, source: string, read: (root: Node) => T): Promise<T> {
  const grammars = defaultGrammarFiles();
  await Parser.init({ locateFile: () => toFilePath(grammars.core) });
  const parser = new Parser().setLanguage(await Language.load(toFilePath(grammars.grammar(language))));
  const tree = parser.parse(source)!;
  try {
    return read(tree.rootNode);
  } finally {
    tree.delete();
    parser.delete();
  }
}

/** web-tree-sitter's Emscripten module, caught as the `this` of a parse callback (as src/analysis/wasm-cursor.ts does). */
export function emscriptenModule(grammar: Language): Record<string, unknown> {
  let module: Record<string, unknown> | undefined;
  const parser = new Parser().setLanguage(grammar);
  parser
    .parse(function (this: Record<string, unknown>) {
      module = this;
      return null as unknown as string;
    })
    ?.delete();
  parser.delete();
  return module!;
}
