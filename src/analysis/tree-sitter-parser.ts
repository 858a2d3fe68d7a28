import { Parser, type Node, type Tree } from 'web-tree-sitter';
import { ecmascriptReferences } from './ecmascript-references.ts';
import { ecmascriptSymbolReader } from './ecmascript-symbols.ts';
import { defaultGrammarFiles, type GrammarFiles } from './grammar-files.ts';
import { loadGrammar, type ReadBytes } from './grammar-loader.ts';
import { languageOf } from './languages.ts';
import type { SymbolExtraction } from './nesting.ts';
import { pythonReferences } from './python-references.ts';
import { pythonSymbolReader } from './python-symbols.ts';
import type { WalkVisitor } from './reference-walk.ts';
import { readSymbols, type SymbolReader } from './symbol-reader.ts';
import { compactTree, DEFAULT_MAX_TREE_NODES, firstSyntaxError } from './syntax-tree.ts';
import type { Language, ParsedReference, ParseResult, SourceParser, SyntaxTreeResult } from './types.ts';
import { checkCursor } from './wasm-cursor.ts';

export interface SourceParserOptions {
  /** Where the WASM files are; node_modules by default. */
  grammars?: GrammarFiles;
  /**
   * How to read the WASM files: pass the runtime's `fs.readBytes`. Without it
   * web-tree-sitter reads them itself, which is fine for node_modules but turns a missing
   * core file into an unhandled rejection.
   */
  readBytes?: ReadBytes;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Several reasons a file is not indexed whole, or null. */
const joinErrors = (...errors: Array<string | null>) => errors.filter((error) => error !== null).join('; ') || null;

/** What is taken from a tree, each part kept when the other fails: symbols (and why some are missing), references. */
interface Extraction {
  found: SymbolExtraction;
  references: ParsedReference[];
  referencesError: string | null;
}

/** Symbols and references of a tree (and its source text), a pure function of both. */
type Extractor = (root: Node, source: string) => Extraction;

const symbolsOf = (extract: () => SymbolExtraction): SymbolExtraction => {
  try {
    return extract();
  } catch (error) {
    return { symbols: [], error: `symbols not extracted: ${message(error)}` };
  }
};

const referencesOf = (extract: () => ParsedReference[]): Omit<Extraction, 'found'> => {
  try {
    return { references: extract(), referencesError: null };
  } catch (error) {
    return { references: [], referencesError: `references not extracted: ${message(error)}` };
  }
};

/**
 * Symbols read on the references' walk of every node: one walk of the tree, not two. A
 * walk the references stopped saw part of the tree: then the symbols are read again, alone.
 */
const oneWalk =
  (symbolReader: (source: string) => SymbolReader, references: (root: Node, source: string, also: WalkVisitor) => ParsedReference[]): Extractor =>
  (root, source) => {
    const reader = symbolReader(source);
    const read = referencesOf(() => references(root, source, reader));
    return { found: symbolsOf(() => (read.referencesError === null ? reader.result() : readSymbols(root, source, symbolReader(source)))), ...read };
  };

const PYTHON = oneWalk(pythonSymbolReader, pythonReferences);
const ECMASCRIPT = oneWalk(ecmascriptSymbolReader, ecmascriptReferences);

const EXTRACTORS: Record<Language, Extractor> = { python: PYTHON, typescript: ECMASCRIPT, tsx: ECMASCRIPT, javascript: ECMASCRIPT };

export function createSourceParser(options: SourceParserOptions = {}): SourceParser {
  const parsers = new Map<Language, Promise<Parser>>();

  const parserFor = (language: Language): Promise<Parser> => {
    let parser = parsers.get(language);
    if (!parser) {
      const grammars = options.grammars ?? defaultGrammarFiles();
      const grammar = loadGrammar(grammars.core, grammars.grammar(language), options.readBytes);
      parser = grammar.then((loaded) => {
        const made = new Parser().setLanguage(loaded);
        try {
          checkCursor(made);
        } catch (error) {
          made.delete();
          throw error;
        }
        return made;
      });
      // Not cached when it failed: the next file retries (the cache directory may be filled meanwhile).
      parser.catch(() => parsers.delete(language));
      parsers.set(language, parser);
    }
    return parser;
  };

  /** Parse, hand the tree to `use`, and free it (a tree lives in WASM memory, not on the JS heap). */
  const withTree = <T>(parser: Parser, source: string, use: (tree: Tree) => T): T => {
    const tree = parser.parse(source);
    if (!tree) throw new Error('the parser returned no tree');
    try {
      return use(tree);
    } finally {
      tree.delete();
    }
  };

  return {
    languageOf,
    async parse(source, language) {
      // A grammar that cannot load (or whose trees the cursor cannot read) rejects: the file is not to blame, and is tried again next scan.
      const parser = await parserFor(language);
      try {
        return withTree(parser, source, (tree) => {
          const { found, references, referencesError } = EXTRACTORS[language](tree.rootNode, source);
          return { language, symbols: found.symbols, references, error: joinErrors(firstSyntaxError(tree.rootNode), found.error, referencesError) };
        });
      } catch (error) {
        return { language, symbols: [], references: [], error: `parse failed: ${message(error)}` } satisfies ParseResult;
      }
    },
    async syntaxTree(source, language, maxNodes = DEFAULT_MAX_TREE_NODES): Promise<SyntaxTreeResult> {
      return withTree(await parserFor(language), source, (tree) => ({ ...compactTree(tree.rootNode, maxNodes), error: firstSyntaxError(tree.rootNode) }));
    },
  };
}
