/**
 * The parser contract of the analysis layer: what a parser makes of one source file is the
 * FileContent the code index stores (src/db/code-types.ts), plus its language.
 */
import type { FileContent, Language } from '../db/code-types.ts';

export type { FileContent, Language, ParsedReference, ParsedSymbol, ReferenceKind, SymbolKind, SyntaxNode } from '../db/code-types.ts';

export interface ParseResult extends FileContent {
  language: Language;
}

/** Parses source text of the languages it knows; loads grammars once, lazily. */
export interface SourceParser {
  /** The language of a file name by its extension, or null when it is not one we parse. */
  languageOf(path: string): Language | null;
  parse(source: string, language: Language): Promise<ParseResult>;
}
