import type { ParsedSymbol } from '../../src/analysis/index.ts';

/** A symbol as the tables write it: `kind qualified_name parent lines`, plus the head and the doc. */
export type Row = [kind: string, qualified_name: string, parent: string | null, lines: string];

export function rows(symbols: ParsedSymbol[]): Row[] {
  return symbols.map((s) => [s.kind, s.qualified_name, s.parent, `${s.line_start}-${s.line_end}`]);
}

export function heads(symbols: ParsedSymbol[]): Array<[string, string | null]> {
  return symbols.map((s) => [s.qualified_name, s.signature]);
}

export function docs(symbols: ParsedSymbol[]): Array<[string, string | null]> {
  return symbols.map((s) => [s.qualified_name, s.docstring]);
}
