import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of a test project's `expected-symbols.json`: what the index must hold for it. */
export type ExpectedSymbol = {
  path: string;
  name: string;
  kind: string;
  qualified_name: string;
  parent: string | null;
  line_start: number;
  line_end: number;
};

/** The symbols a test project under `root` declares it contains. */
export function expectedSymbols(root: string): ExpectedSymbol[] {
  return JSON.parse(readFileSync(join(root, 'expected-symbols.json'), 'utf8')) as ExpectedSymbol[];
}
