export type { FileSyntaxTree, Language, ParsedReference, ParsedSymbol, ParseResult, ReferenceKind, SourceParser, SymbolKind, SyntaxNode, SyntaxTreeResult } from './types.ts';
export { EXTENSION_LANGUAGES, LANGUAGES, languageOf } from './languages.ts';
export { defaultGrammarFiles, type GrammarFiles } from './grammar-files.ts';
export type { ReadBytes } from './grammar-loader.ts';
export { createSourceParser, type SourceParserOptions } from './tree-sitter-parser.ts';
export { DEFAULT_MAX_TREE_NODES } from './syntax-tree.ts';
export { createParsePool, type FileParser, indexingParser, inProcessParser, type ParsePoolOptions } from './parse-pool.ts';
export type { ParseJob, ParseOutcome } from './parse-job.ts';
export { MAX_NESTING } from './nesting.ts';
