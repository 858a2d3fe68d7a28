import type { SqlToken } from './sql-lexer.ts';

/**
 * The PRAGMAs raw SQL may run: only the ones that read. A PRAGMA that sets something
 * (`synchronous=OFF`, `query_only=1`, `locking_mode=EXCLUSIVE`, `writable_schema`…) would
 * change durability or locking under the driver, or break every later write, while
 * `stats` and `/health` still report the driver's own settings.
 */

/** Pragmas that take a table or index name (or a row count) and only report. */
const REPORTS = new Set([
  'table_info',
  'table_xinfo',
  'table_list',
  'index_list',
  'index_info',
  'index_xinfo',
  'foreign_key_list',
  'foreign_key_check',
  'integrity_check',
  'quick_check',
]);

/** Settings and facts readable by their bare name; given a value, they would set it. */
const READABLE_SETTINGS = new Set([
  'application_id',
  'auto_vacuum',
  'busy_timeout',
  'cache_size',
  'collation_list',
  'compile_options',
  'data_version',
  'database_list',
  'encoding',
  'foreign_keys',
  'freelist_count',
  'function_list',
  'journal_mode',
  'locking_mode',
  'max_page_count',
  'mmap_size',
  'module_list',
  'page_count',
  'page_size',
  'pragma_list',
  'query_only',
  'schema_version',
  'synchronous',
  'temp_store',
  'user_version',
  'wal_autocheckpoint',
]);

/** The pragma's name (lower case) when `tokens` are `PRAGMA [schema.]name …`. */
export function pragmaName(tokens: SqlToken[]): string | undefined {
  if (tokens[0]?.text.toUpperCase() !== 'PRAGMA') return undefined;
  const dotted = tokens[2]?.text === '.' && tokens[2].kind === 'punct';
  return tokens[dotted ? 3 : 1]?.text.toLowerCase();
}

/** Whether a PRAGMA statement only reads: a report, or a setting read by its bare name. */
export function isReadPragma(tokens: SqlToken[]): boolean {
  const name = pragmaName(tokens);
  if (name === undefined) return false;
  const nameAt = tokens[2]?.text === '.' ? 3 : 1;
  const rest = tokens.slice(nameAt + 1);
  if (rest.some((token) => token.kind === 'punct' && token.text === '=')) return false;
  if (REPORTS.has(name)) return true;
  return READABLE_SETTINGS.has(name) && rest.length === 0;
}
