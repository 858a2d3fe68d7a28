import { extname } from 'node:path';
import type { Language } from './types.ts';

/** The file extensions we parse, lower-case, and the grammar each one needs. */
export const EXTENSION_LANGUAGES: Readonly<Record<string, Language>> = Object.freeze({
  '.py': 'python',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  // The JavaScript grammar parses JSX itself; the TSX grammar would reject untyped JS idioms.
  '.jsx': 'javascript',
});

export const LANGUAGES: readonly Language[] = ['python', 'typescript', 'tsx', 'javascript'];

export function languageOf(path: string): Language | null {
  return EXTENSION_LANGUAGES[extname(path).toLowerCase()] ?? null;
}
