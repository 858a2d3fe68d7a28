import type { Node } from 'web-tree-sitter';
import type { ParsedSymbol, SymbolKind } from './types.ts';

/** The enclosing class or function of a symbol while walking a tree. */
export interface Scope {
  qualified_name: string;
  kind: SymbolKind;
}

/** 1-based inclusive lines; a node that stops at column 0 ends on the line before. */
export function lineRange(node: Node): { line_start: number; line_end: number } {
  const { startPosition: start, endPosition: end } = node;
  const endRow = end.column === 0 && end.row > start.row ? end.row - 1 : end.row;
  return { line_start: start.row + 1, line_end: endRow + 1 };
}

/** Source text on one line: whitespace runs collapsed, none just inside brackets. */
export function oneLine(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/([([]) /g, '$1')
    .replace(/ ([)\]])/g, '$1')
    .trim();
}

/**
 * A declaration's head: its source from the first token that is not a decorator up to
 * where `body` begins (all of it without a body), on one line.
 */
export function headText(source: string, declaration: Node, body: Node | null): string {
  let head = declaration.firstChild;
  while (head && (head.type === 'decorator' || head.type === 'comment')) head = head.nextSibling;
  return oneLine(source.slice((head ?? declaration).startIndex, body ? body.startIndex : declaration.endIndex));
}

export function makeSymbol(
  name: string,
  kind: SymbolKind,
  parent: Scope | null,
  range: Node,
  signature: string | null,
  docstring: string | null,
): ParsedSymbol {
  return {
    name,
    kind,
    qualified_name: parent ? `${parent.qualified_name}.${name}` : name,
    parent: parent?.qualified_name ?? null,
    ...lineRange(range),
    signature,
    docstring,
  };
}

/** Drops blank lines at both ends and joins; null when nothing is left. */
export function joinTrimmed(lines: string[]): string | null {
  let first = 0;
  let last = lines.length;
  while (first < last && lines[first]!.trim() === '') first++;
  while (last > first && lines[last - 1]!.trim() === '') last--;
  return first < last ? lines.slice(first, last).join('\n') : null;
}
