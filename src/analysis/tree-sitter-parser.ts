import { Parser, type Node } from 'web-tree-sitter';
import { ecmascriptReferences } from './ecmascript-references.ts';
import { ecmascriptSymbols } from './ecmascript-symbols.ts';
import { defaultGrammarFiles, type GrammarFiles } from './grammar-files.ts';
import { loadGrammar, type ReadBytes } from './grammar-loader.ts';
import { languageOf } from './languages.ts';
import { pythonReferences } from './python-references.ts';
import { pythonSymbols } from './python-symbols.ts';
import { compactTree, DEFAULT_MAX_TREE_NODES, firstSyntaxError } from './syntax-tree.ts';
import type { Language, ParsedReference, ParsedSymbol, ParseResult, SourceParser } from './types.ts';

export interface SourceParserOptions {
  /** Where the WASM files are; node_modules by default. */
  grammars?: GrammarFiles;
  /**
   * How to read the WASM files: pass the runtime's `fs.readBytes`. Without it
   * web-tree-sitter reads them itself, which is fine for node_modules but turns a missing
   * core file into an unhandled rejection.
   */
  readBytes?: ReadBytes;
  /** Named nodes kept in a file's syntax tree before it is cut (`tree_truncated`). */
  maxTreeNodes?: number;
}

type Extractors = { symbols: (root: Node, source: string) => ParsedSymbol[]; references: (root: Node) => ParsedReference[] };
const PYTHON: Extractors = { symbols: pythonSymbols, references: pythonReferences };
const ECMASCRIPT: Extractors = { symbols: ecmascriptSymbols, references: ecmascriptReferences };
const EXTRACTORS: Record<Language, Extractors> = { python: PYTHON, typescript: ECMASCRIPT, tsx: ECMASCRIPT, javascript: ECMASCRIPT };

export function createSourceParser(options: SourceParserOptions = {}): SourceParser {
  const maxTreeNodes = options.maxTreeNodes ?? DEFAULT_MAX_TREE_NODES;
  const parsers = new Map<Language, Promise<Parser>>();

  const parserFor = (language: Language): Promise<Parser> => {
    let parser = parsers.get(language);
    if (!parser) {
      const grammars = options.grammars ?? defaultGrammarFiles();
      const grammar = loadGrammar(grammars.core, grammars.grammar(language), options.readBytes);
      parser = grammar.then((loaded) => new Parser().setLanguage(loaded));
      // Not cached when it failed: the next file retries (the cache directory may be filled meanwhile).
      parser.catch(() => parsers.delete(language));
      parsers.set(language, parser);
    }
    return parser;
  };

  return {
    languageOf,
    async parse(source, language) {
      const parser = await parserFor(language);
      try {
        const tree = parser.parse(source);
        if (!tree) throw new Error('the parser returned no tree');
        try {
          const extract = EXTRACTORS[language];
          const symbols = extract.symbols(tree.rootNode, source);
          const references = extract.references(tree.rootNode);
          const { tree: syntax, truncated } = compactTree(tree.rootNode, maxTreeNodes);
          return { language, symbols, references, tree: syntax, tree_truncated: truncated, error: firstSyntaxError(tree.rootNode) };
        } finally {
          tree.delete();
        }
      } catch (error) {
        return failedParse(language, error);
      }
    },
  };
}

/** A file the parser could not handle: no symbols, and a tree that is the bare root node. */
function failedParse(language: Language, error: unknown): ParseResult {
  return {
    language,
    symbols: [],
    references: [],
    tree: { type: language === 'python' ? 'module' : 'program', start: [0, 0], end: [0, 0] },
    tree_truncated: false,
    error: `parse failed: ${error instanceof Error ? error.message : String(error)}`,
  };
}
