import type { Node } from 'web-tree-sitter';
import type { ParsedSymbol } from './types.ts';

/**
 * How many levels definitions (and Python blocks) may nest before the extractors stop
 * descending, so a qualified name has at most this many parts: CPython refuses
 * more than 100 levels of indentation, and no real code nests definitions that deep. A
 * hostile or generated file nested thousands deep keeps the symbols outside that part,
 * and its error says where the cut is.
 */
export const MAX_NESTING = 100;

/** What a symbol extractor found, and why it left part of the file out (or null). */
export interface SymbolExtraction {
  symbols: ParsedSymbol[];
  error: string | null;
}

/** The error of a file cut at MAX_NESTING, pointing (1-based) at the first part left out. */
export function deeperThan(node: Node): string {
  return `nested deeper than ${MAX_NESTING} levels at ${node.startPosition.row + 1}:${node.startPosition.column + 1}; the symbols inside are not indexed`;
}
