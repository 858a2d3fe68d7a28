import type { ParsedReference, ParsedSymbol, ParseResult, SymbolKind } from '../../src/analysis/types.ts';
import type { DatabaseClient } from '../../src/db/database-client.ts';
import { DRIVER_TARGETS, type DriverHandle, OWNER } from './driver.ts';
import { openTestCodeIndex } from './indexed-project.ts';

/** The code index on each engine: the SQLite child adds nothing over the same code in-process; PostgreSQL runs where it is installed. */
export const CODE_TARGETS = DRIVER_TARGETS.filter(([name]) => name !== 'driver child process');

export async function openCodeOn(start: () => Promise<DriverHandle>) {
  const handle = await start();
  const db = handle.client(OWNER);
  return { db, code: await openTestCodeIndex(db) };
}

/**
 * The row ids SQLite's search table indexes (from its own row-size table: reading the
 * external-content FTS table itself would read its content table); null on PostgreSQL,
 * which searches the rows themselves.
 */
export async function searchIndexIds(db: DatabaseClient, driver: string, table: 'symbols_fts' | 'file_references_fts' = 'symbols_fts'): Promise<number[] | null> {
  if (driver !== 'sqlite') return null;
  return ((await db.execute(`SELECT id FROM ${table}_docsize ORDER BY id`)).data ?? []).map((row) => Number(row.id));
}

let nextLine = 1;
/** A symbol three lines long, each one below the last made. */
export function symbol(name: string, kind: SymbolKind = 'function', fields: Partial<ParsedSymbol> = {}): ParsedSymbol {
  const start = nextLine;
  nextLine += 3;
  return { name, kind, qualified_name: name, parent: null, line_start: start, line_end: start + 2, signature: null, docstring: null, ...fields };
}

/** A symbol named by its qualified name (parent and name from its dots) and its lines. */
export function located(qualified_name: string, line_start: number, line_end: number, kind: SymbolKind = 'function'): ParsedSymbol {
  const dot = qualified_name.lastIndexOf('.');
  return symbol(qualified_name.slice(dot + 1), kind, { qualified_name, parent: dot < 0 ? null : qualified_name.slice(0, dot), line_start, line_end });
}

export function parsed(symbols: ParsedSymbol[], error: string | null = null, references: ParsedReference[] = []): ParseResult {
  return { language: 'python', symbols, references, error };
}

export function fileInput(path: string, lines = 10, language = 'python') {
  return { path, language, size: lines * 8, mtime_ms: 1_700_000_000_000, hash: `hash-of-${path}`, lines };
}
