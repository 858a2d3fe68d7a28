import type { Dialect } from './sql/dialect.ts';
import { quote } from './sql/identifiers.ts';
import type { Statement } from './sql/statements.ts';

/**
 * The driver's own bookkeeping table, the same on every engine: the applied schema
 * version and the protected tables (protection.ts), one key each.
 */
export const META_TABLE = '_code_analysis_meta';

const VERSION_KEY = 'schema_version';
const PROTECTED_KEY = 'protected_tables';

export interface MetaRecord {
  /** The version of the last definition synced with one; null before any. */
  version: string | null;
  /** Lower-case names, sorted. */
  protectedTables: string[];
}

export const EMPTY_META: MetaRecord = { version: null, protectedTables: [] };

export const READ_META_SQL = `SELECT key, value FROM ${quote(META_TABLE)} WHERE key IN ('${VERSION_KEY}', '${PROTECTED_KEY}')`;

export function parseMeta(rows: ReadonlyArray<Record<string, unknown>>): MetaRecord {
  const value = (key: string) => rows.find((row) => row.key === key)?.value;
  const version = value(VERSION_KEY);
  const list = value(PROTECTED_KEY);
  let protectedTables: string[] = [];
  if (typeof list === 'string') {
    const parsed: unknown = JSON.parse(list);
    if (Array.isArray(parsed)) protectedTables = parsed.filter((name): name is string => typeof name === 'string');
  }
  return { version: typeof version === 'string' ? version : null, protectedTables };
}

/** What a change of the bookkeeping records; a key left undefined keeps its value. */
export interface MetaChanges {
  version?: string;
  protectedTables?: string[];
}

/** The statements that create the table when missing and record `changes`. */
export function recordMetaStatements(dialect: Dialect, changes: MetaChanges): Statement[] {
  const upsert = `INSERT INTO ${quote(META_TABLE)} (key, value) VALUES (${dialect.placeholder(1)}, ${dialect.placeholder(2)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
  const statements: Statement[] = [{ sql: `CREATE TABLE IF NOT EXISTS ${quote(META_TABLE)} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`, params: [] }];
  if (changes.version !== undefined) statements.push({ sql: upsert, params: [VERSION_KEY, changes.version] });
  if (changes.protectedTables !== undefined) statements.push({ sql: upsert, params: [PROTECTED_KEY, JSON.stringify(changes.protectedTables)] });
  return statements;
}

const normalize = (names: Iterable<string>) => [...new Set([...names].map((name) => name.toLowerCase()))].sort();

/**
 * The protected tables once `tables` are synced (or created): each of them protected as
 * it now says, every table it does not name as it was.
 */
export function protectedAfter(current: readonly string[], tables: ReadonlyArray<{ name: string; protected?: boolean }>): string[] {
  const named = new Set(tables.map((table) => table.name.toLowerCase()));
  return normalize([...current.filter((name) => !named.has(name)), ...tables.filter((table) => table.protected).map((table) => table.name)]);
}

/** What to record after syncing a definition: only what differs from `before`. */
export function metaChangesOf(before: MetaRecord, version: string | undefined, protectedTables: string[]): MetaChanges {
  const changes: MetaChanges = {};
  if (version !== undefined && version !== before.version) changes.version = version;
  if (JSON.stringify(protectedTables) !== JSON.stringify(normalize(before.protectedTables))) changes.protectedTables = protectedTables;
  return changes;
}

export function hasChanges(changes: MetaChanges): boolean {
  return changes.version !== undefined || changes.protectedTables !== undefined;
}
