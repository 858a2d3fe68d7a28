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
