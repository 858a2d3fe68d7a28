/**
 * The little raw SQL the CodeDatabase needs, per database. Text search over symbols and
 * the name lookup of references: SQLite keeps FTS5 tables over the `symbols` and
 * `file_references` rows (external content: the text is not stored twice), which the
 * CodeDatabase updates in the same transaction as those rows; PostgreSQL uses expression
 * GIN indexes, which it maintains itself.
 */
export interface CodeDialect {
  readonly driver: 'sqlite' | 'postgres';
  /** The n-th (1-based) bound parameter. */
  param(n: number): string;
  /** The search structures, each created when missing or different (src/db/search-setup.ts). */
  structures: SearchStructure[];
  /** SQLite: keep the search tables in step with the rows of some files. Params: the file ids. */
  unindex: ((fileIds: string) => string[]) | null;
  reindex: ((fileIds: string) => string[]) | null;
  /** The search text for `words` in the engine's query syntax, or null when nothing is searchable. */
  query(text: string): string | null;
  /** The name lookup of references: a condition on `r` (a file_references row) and the value of its parameter; null when no file can use the name. */
  usesName(name: string): { value: string; condition(param: string): string } | null;
  /** SQL that is true when `haystack` contains `needle` (both SQL expressions). */
  contains(haystack: string, needle: string): string;
  /** The text-search condition on `s` (a symbols row), and its relevance to order by (best first). */
  textMatch(param: string): { from: string; where: string; relevance: string };
  /** A question's words (questionTerms) as a query any one of them matches, or null when it has none. */
  anyTerm(terms: readonly string[]): string | null;
  /** With textMatch's from and where: the match's relevance as a number, higher better (SQLite BM25, PostgreSQL ts_rank). */
  score(param: string): string;
  /** Full-text terms (full-text-terms.ts) as a query any one of them matches exactly, or null when there is none. */
  anyExactTerm(terms: readonly string[]): string | null;
  /** The match of symbol_terms against that query: joined to `s` (a symbols row), with its relevance, higher better. */
  termsMatch(param: string): { from: string; where: string; score: string };
}

/** A search table or index (or, SQLite, a trigger keeping one in step): how to make it, and (for a table built from rows) how to fill it again. */
export interface SearchStructure {
  name: string;
  /** What it is, for DROP when it must be made again: a table (the default) or a trigger. */
  kind?: 'table' | 'trigger';
  create: string;
  rebuild: string | null;
  /** SQLite: the table whose rows it indexes, its key column, and its own row count table (to see that it is whole). */
  content?: { table: string; key: string; docsize: string };
}

const words = (text: string) => text.match(/[\p{L}\p{N}_]+/gu) ?? [];

/** The characters a name search token holds, beside letters and digits (identifiers of both languages). */
const NAME_TOKEN = /[\p{L}\p{N}_$]+/gu;

const sqlite: CodeDialect = {
  driver: 'sqlite',
  param: () => '?',
  structures: [
    {
      name: 'symbols_fts',
      create: "CREATE VIRTUAL TABLE symbols_fts USING fts5(name, qualified_name, docstring, content='symbols', content_rowid='id', tokenize='unicode61')",
      rebuild: "INSERT INTO symbols_fts(symbols_fts) VALUES('rebuild')",
      content: { table: 'symbols', key: 'id', docsize: 'symbols_fts_docsize' },
    },
    {
      // detail=none: which files hold a name is all it answers; where is in the packed positions.
      name: 'file_references_fts',
      create:
        "CREATE VIRTUAL TABLE file_references_fts USING fts5(names, content='file_references', content_rowid='file_id', detail=none, tokenize=\"unicode61 remove_diacritics 0 tokenchars '_$'\")",
      rebuild: "INSERT INTO file_references_fts(file_references_fts) VALUES('rebuild')",
      content: { table: 'file_references', key: 'file_id', docsize: 'file_references_fts_docsize' },
    },
    {
      // The terms are stems already: the tokenizer only splits them at spaces.
      name: 'symbol_terms_fts',
      create:
        "CREATE VIRTUAL TABLE symbol_terms_fts USING fts5(title, signature, docstring, rest, content='symbol_terms', content_rowid='symbol_id', tokenize='unicode61')",
      rebuild: "INSERT INTO symbol_terms_fts(symbol_terms_fts) VALUES('rebuild')",
      content: { table: 'symbol_terms', key: 'symbol_id', docsize: 'symbol_terms_fts_docsize' },
    },
    // Triggers, not the writer, keep it in step: a symbol's rows go by ON DELETE CASCADE, which fires them.
    {
      name: 'symbol_terms_ai',
      kind: 'trigger',
      create:
        'CREATE TRIGGER symbol_terms_ai AFTER INSERT ON symbol_terms BEGIN INSERT INTO symbol_terms_fts(rowid, title, signature, docstring, rest) ' +
        'VALUES (new.symbol_id, new.title, new.signature, new.docstring, new.rest); END',
      rebuild: null,
    },
    {
      name: 'symbol_terms_ad',
      kind: 'trigger',
      create:
        "CREATE TRIGGER symbol_terms_ad AFTER DELETE ON symbol_terms BEGIN INSERT INTO symbol_terms_fts(symbol_terms_fts, rowid, title, signature, docstring, rest) " +
        "VALUES ('delete', old.symbol_id, old.title, old.signature, old.docstring, old.rest); END",
      rebuild: null,
    },
  ],
  // External-content FTS5 tables are told what leaves with the very values that went in.
  unindex: (ids) => [
    `INSERT INTO symbols_fts(symbols_fts, rowid, name, qualified_name, docstring) SELECT 'delete', id, name, qualified_name, docstring FROM symbols WHERE file_id IN (${ids})`,
    `INSERT INTO file_references_fts(file_references_fts, rowid, names) SELECT 'delete', file_id, names FROM file_references WHERE file_id IN (${ids})`,
  ],
  reindex: (ids) => [
    `INSERT INTO symbols_fts(rowid, name, qualified_name, docstring) SELECT id, name, qualified_name, docstring FROM symbols WHERE file_id IN (${ids})`,
    `INSERT INTO file_references_fts(rowid, names) SELECT file_id, names FROM file_references WHERE file_id IN (${ids})`,
  ],
  // Every word quoted (no FTS syntax from users), each may be a prefix.
  query: (text) => {
    const list = words(text);
    return list.length ? list.map((word) => `"${word}"*`).join(' ') : null;
  },
  // Every token of the name (a superset: the packed names are then compared exactly).
  usesName: (name) => {
    const tokens = name.match(NAME_TOKEN);
    if (!tokens) return null;
    return {
      value: tokens.map((token) => `"${token}"`).join(' AND '),
      condition: (param) => `r.file_id IN (SELECT rowid FROM file_references_fts WHERE file_references_fts MATCH ${param})`,
    };
  },
  contains: (haystack, needle) => `instr(${haystack}, ${needle}) > 0`,
  anyTerm: (terms) => (terms.length ? terms.map((term) => `"${term}"*`).join(' OR ') : null),
  // Names and qualified names weigh three times docstrings (as the builtin model weighs titles).
  score: () => '-bm25(symbols_fts, 3.0, 3.0, 1.0)',
  anyExactTerm: (terms) => (terms.length ? terms.map((term) => `"${term}"`).join(' OR ') : null),
  // Title (name, qualified name, path) 3, signature and docstring 1, members and body lines ½: as the evaluation chose.
  termsMatch: (param) => ({
    from: 'symbol_terms_fts JOIN symbols s ON s.id = symbol_terms_fts.rowid',
    where: `symbol_terms_fts MATCH ${param}`,
    score: '-bm25(symbol_terms_fts, 3.0, 1.0, 1.0, 0.5)',
  }),
  textMatch: (param) => ({
    from: 'symbols_fts JOIN symbols s ON s.id = symbols_fts.rowid',
    where: `symbols_fts MATCH ${param}`,
    relevance: 'symbols_fts.rank',
  }),
};

// The same text as SQLite's FTS table: name, qualified name and docstring. The queries
// spell the indexed expressions exactly, columns qualified by a table alias or not.
const tsvector = (of = '') =>
  `to_tsvector('simple', coalesce(${of}name, '') || ' ' || coalesce(${of}qualified_name, '') || ' ' || coalesce(${of}docstring, ''))`;
const nameArray = (of = '') => `string_to_array(${of}names, E'\\n')`;
// The same weights as SQLite's bm25 columns, as ts_rank's {D, C, B, A}: title A, signature C, docstring B, rest D.
const termsVector = (of = '') =>
  `(setweight(to_tsvector('simple', ${of}title), 'A') || setweight(to_tsvector('simple', ${of}signature), 'C') || ` +
  `setweight(to_tsvector('simple', ${of}docstring), 'B') || setweight(to_tsvector('simple', ${of}rest), 'D'))`;

const postgres: CodeDialect = {
  driver: 'postgres',
  param: (n) => `$${n}`,
  structures: [
    { name: 'symbols_search', create: `CREATE INDEX IF NOT EXISTS symbols_search ON symbols USING gin (${tsvector()})`, rebuild: null },
    { name: 'file_references_names', create: `CREATE INDEX IF NOT EXISTS file_references_names ON file_references USING gin (${nameArray()})`, rebuild: null },
    { name: 'symbol_terms_search', create: `CREATE INDEX IF NOT EXISTS symbol_terms_search ON symbol_terms USING gin (${termsVector()})`, rebuild: null },
  ],
  unindex: null,
  reindex: null,
  query: (text) => {
    const list = words(text);
    return list.length ? list.map((word) => `${word}:*`).join(' & ') : null;
  },
  usesName: (name) => ({ value: name, condition: (param) => `${nameArray('r.')} @> ARRAY[${param}]::text[]` }),
  contains: (haystack, needle) => `strpos(${haystack}, ${needle}) > 0`,
  anyTerm: (terms) => (terms.length ? terms.map((term) => `${term}:*`).join(' | ') : null),
  score: (param) => `ts_rank(${tsvector('s.')}, to_tsquery('simple', ${param}))`,
  anyExactTerm: (terms) => (terms.length ? terms.join(' | ') : null),
  termsMatch: (param) => ({
    from: 'symbol_terms t JOIN symbols s ON s.id = t.symbol_id',
    where: `${termsVector('t.')} @@ to_tsquery('simple', ${param})`,
    score: `ts_rank('{0.17, 0.33, 0.33, 1.0}', ${termsVector('t.')}, to_tsquery('simple', ${param}))`,
  }),
  textMatch: (param) => ({
    from: 'symbols s',
    where: `${tsvector('s.')} @@ to_tsquery('simple', ${param})`,
    relevance: `ts_rank(${tsvector('s.')}, to_tsquery('simple', ${param})) DESC`,
  }),
};

export function codeDialect(driver: string): CodeDialect {
  return driver === 'postgres' ? postgres : sqlite;
}
