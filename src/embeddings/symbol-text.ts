import type { SymbolSource } from './types.ts';

/** Lines of the body a symbol's text carries: enough to show what it does, not its whole code. */
export const BODY_LINES = 8;
/** A docstring longer than this is cut: its first paragraphs say what the symbol is. */
const DOCSTRING_CHARS = 1500;

/**
 * The fields of a symbol's text, one a line, in this order. A text model reads it as
 * prose; the builtin model weights the fields by their line (see builtin/term-bag.ts).
 */
export const SYMBOL_TEXT_FIELDS = ['title', 'signature', 'docstring', 'members', 'body'] as const;

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The text embedded for a symbol: its qualified name and file, its signature, its
 * docstring (on one line), the names of its members and the first lines of its body, one
 * field a line in the order of SYMBOL_TEXT_FIELDS (an absent field is an empty line; the
 * body takes the rest).
 */
export function symbolText(symbol: SymbolSource): string {
  const docstring = symbol.docstring ? oneLine(symbol.docstring).slice(0, DOCSTRING_CHARS) : '';
  return [`${symbol.qualified_name} in ${symbol.path}`, oneLine(symbol.signature ?? ''), docstring, symbol.members.join(' '), ...symbol.body.map(oneLine)].join('\n');
}

const QUOTES_AND_MARKERS = /^(?:[rubfRUBF]{0,2}(?:"""|'''|"|')|\/\*\*?|\*\/?|\/\/+|#+)|(?:"""|'''|\*\/)$/g;

/**
 * The first lines of a symbol's body: the source lines after its first (the declaration's
 * head), without blank lines and without the lines of its own docstring, at most `count`.
 * `lines` are the file's lines; `line_start`/`line_end` are 1-based and inclusive.
 */
export function bodyLines(
  lines: readonly string[],
  symbol: { line_start: number; line_end: number; docstring: string | null },
  count = BODY_LINES,
): string[] {
  const docstring = symbol.docstring ? oneLine(symbol.docstring) : '';
  const body: string[] = [];
  const last = Math.min(symbol.line_end, lines.length);
  for (let line = symbol.line_start + 1; line <= last && body.length < count; line++) {
    const text = lines[line - 1]!.trim();
    if (text === '') continue;
    const bare = oneLine(text.replace(QUOTES_AND_MARKERS, ''));
    if (docstring && (bare === '' || docstring.includes(bare))) continue;
    body.push(text);
  }
  return body;
}
