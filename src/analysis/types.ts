/**
 * The parser contract of the analysis layer: what a parser makes of one source file is the
 * FileContent the code index stores (src/db/code-types.ts), plus its language.
 */
import type { FileContent, Language } from '../db/code-types.ts';

export type { FileContent, Language, ParsedReference, ParsedSymbol, ReferenceKind, SymbolKind } from '../db/code-types.ts';

export interface ParseResult extends FileContent {
  language: Language;
}

/** A syntax tree node, compact: named nodes only; positions are 0-based [row, column]. */
export interface SyntaxNode {
  type: string;
  start: [number, number];
  end: [number, number];
  children?: SyntaxNode[];
}

/** A file's syntax tree: parsed on demand, never stored. */
export interface SyntaxTreeResult {
  tree: SyntaxNode;
  /** Whether the tree was cut at the node limit (huge files). */
  truncated: boolean;
  /** Where the source does not parse, or null. */
  error: string | null;
}

/** A stored file's syntax tree as `file_tree` answers it: parsed again from the file as it is now. */
export interface FileSyntaxTree extends SyntaxTreeResult {
  /** The file's content is no longer what was indexed (its hash differs): the tree is of the new content. */
  changed: boolean;
}

/** Parses source text of the languages it knows; loads grammars once, lazily. */
export interface SourceParser {
  /** The language of a file name by its extension, or null when it is not one we parse. */
  languageOf(path: string): Language | null;
  /** Symbols and references; never throws: a file that cannot be handled comes back with its error. */
  parse(source: string, language: Language): Promise<ParseResult>;
  /** The named nodes of the file's tree, at most `maxNodes` (breadth first). */
  syntaxTree(source: string, language: Language, maxNodes?: number): Promise<SyntaxTreeResult>;
}
