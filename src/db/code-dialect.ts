import type { DatabaseClient } from './database-client.ts';

/**
 * The little raw SQL the CodeDatabase needs, per database. Text search over symbols:
 * SQLite keeps an FTS5 table (rowid = symbol id) that the CodeDatabase writes in the same
 * transaction as the symbols; PostgreSQL uses an expression GIN index over to_tsvector.
 * Both match words of names, qualified names and docstrings.
 */
export interface CodeDialect {
  /** The n-th (1-based) bound parameter. */
  param(n: number): string;
  /** Statements that create the search structures; each is idempotent. */
  setup: string[];
  /** After a file's symbols were inserted: index them. Params: [file_id]. */
  indexFile: string | null;
  /** Before a file's symbols are deleted: unindex them. Params: [file_id]. */
  unindexFile: string | null;
  /**
   * The statement for the ids of the symbols matching `query` (filtered in SQL, so a limit
   * never hides a match), best first: name equal to `needle`, then starting with it, then
   * containing it, then by text relevance.
   */
  match(query: string, needle: string, filter: SearchFilter, limit: number): { sql: string; params: Array<string | number> };
  /** Turn the user's words into the engine's query syntax, or null when nothing is searchable. */
  query(text: string): string | null;
}

export interface SearchFilter {
  kind?: string;
  projectId?: number;
}

/** The filter's conditions (columns of `symbols` only, so they need no table name) and their parameters. */
function filterSql(filter: SearchFilter, param: (n: number) => string, first: number): { sql: string; params: Array<string | number> } {
  const columns: Array<[string, string | number]> = [];
  if (filter.kind !== undefined) columns.push(['kind', filter.kind]);
  if (filter.projectId !== undefined) columns.push(['project_id', filter.projectId]);
  return {
    sql: columns.map(([column], index) => ` AND ${column} = ${param(first + index)}`).join(''),
    params: columns.map(([, value]) => value),
  };
}

const words = (text: string) => text.match(/[\p{L}\p{N}_]+/gu) ?? [];

const sqlite: CodeDialect = {
  param: () => '?',
  setup: [
    "CREATE VIRTUAL TABLE IF NOT EXISTS symbols_fts USING fts5(name, qualified_name, docstring, tokenize = 'unicode61')",
  ],
  indexFile:
    'INSERT INTO symbols_fts(rowid, name, qualified_name, docstring) SELECT id, name, qualified_name, docstring FROM symbols WHERE file_id = ?',
  unindexFile: 'DELETE FROM symbols_fts WHERE rowid IN (SELECT id FROM symbols WHERE file_id = ?)',
  match: (query, needle, filter, limit) => {
    const where = filterSql(filter, () => '?', 2);
    const name = 'lower(s.name)';
    return {
      sql:
        `SELECT s.id AS id FROM symbols_fts JOIN symbols s ON s.id = symbols_fts.rowid WHERE symbols_fts MATCH ?${where.sql} ` +
        `ORDER BY CASE WHEN ${name} = ? THEN 0 WHEN substr(${name}, 1, length(?)) = ? THEN 1 WHEN instr(${name}, ?) > 0 THEN 2 ELSE 3 END, symbols_fts.rank LIMIT ?`,
      params: [query, ...where.params, needle, needle, needle, needle, limit],
    };
  },
  // Every word quoted (no FTS syntax from users), each may be a prefix.
  query: (text) => {
    const list = words(text);
    return list.length ? list.map((word) => `"${word}"*`).join(' ') : null;
  },
};

// The same text as SQLite's FTS table: name, qualified name and docstring.
const TSVECTOR = "to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(qualified_name, '') || ' ' || coalesce(docstring, ''))";

const postgres: CodeDialect = {
  param: (n) => `$${n}`,
  setup: [`CREATE INDEX IF NOT EXISTS symbols_search ON symbols USING gin (${TSVECTOR})`],
  indexFile: null,
  unindexFile: null,
  match: (query, needle, filter, limit) => {
    const where = filterSql(filter, (n) => `$${n}`, 2);
    const n = where.params.length + 2;
    return {
      sql:
        `SELECT id FROM symbols WHERE ${TSVECTOR} @@ to_tsquery('simple', $1)${where.sql} ` +
        `ORDER BY CASE WHEN lower(name) = $${n} THEN 0 WHEN starts_with(lower(name), $${n}) THEN 1 WHEN strpos(lower(name), $${n}) > 0 THEN 2 ELSE 3 END, ` +
        `ts_rank(${TSVECTOR}, to_tsquery('simple', $1)) DESC LIMIT $${n + 1}`,
      params: [query, ...where.params, needle, limit],
    };
  },
  query: (text) => {
    const list = words(text);
    return list.length ? list.map((word) => `${word}:*`).join(' & ') : null;
  },
};

export function codeDialect(driver: string): CodeDialect {
  return driver === 'postgres' ? postgres : sqlite;
}

export async function setupSearch(db: DatabaseClient, dialect: CodeDialect): Promise<void> {
  for (const statement of dialect.setup) await db.execute(statement);
}
