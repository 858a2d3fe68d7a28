/** Small helpers for the tools' text answers (what an assistant or a person reads). */

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `path:12` or `path:12-20`. */
export const lineRange = (path: string, start: number, end: number): string => `${path}:${start}${end === start ? '' : `-${end}`}`;

/** The note a tool adds when it re-indexed files that had changed on disk. */
export const reindexedNote = (paths: string[]): string[] =>
  paths.length === 0 ? [] : [`(re-indexed before answering, changed since last indexed: ${paths.join(', ')})`];

/** Lines numbered the way `cat -n` does: the number right-aligned, a tab, the text. */
export const numbered = (lines: string[], first: number): string =>
  lines.map((line, index) => `${String(first + index).padStart(6)}\t${line}`).join('\n');
