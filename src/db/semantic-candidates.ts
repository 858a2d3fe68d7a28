import type { CodeDialect } from './code-dialect.ts';
import { type SymbolHit, symbolHit } from './code-search.ts';
import type { SymbolKind } from './code-types.ts';
import type { DatabaseClient } from './database-client.ts';

/** A definition as a candidate of the semantic search: the hit it would be, its row id, its score in one list. */
export type Candidate = SymbolHit & { id: number; score: number };

export interface CandidateScope {
  kinds: readonly SymbolKind[];
  projectId?: number;
  limit: number;
}

const HIT_COLUMNS =
  's.id AS id, s.name AS name, s.kind AS kind, s.qualified_name AS qualified_name, f.path AS path, s.line_start AS line_start, ' +
  's.line_end AS line_end, p.root AS project, s.docstring AS docstring';
const HIT_JOINS = 'JOIN files f ON f.id = s.file_id JOIN projects p ON p.id = s.project_id';

function candidate(row: Record<string, unknown>): Candidate {
  return { ...symbolHit(row), id: Number(row.id), score: Number(row.score ?? 0) };
}

function scopeFilters(scope: CandidateScope, param: (value: string | number) => string): string[] {
  return [
    `s.kind IN (${scope.kinds.map((kind) => param(kind)).join(', ')})`,
    ...(scope.projectId === undefined ? [] : [`s.project_id = ${param(scope.projectId)}`]),
  ];
}

/**
 * The full-text list of the hybrid ranking: definitions matching any of the question's
 * terms (questionTerms) in their name, qualified name or docstring, by relevance (SQLite
 * BM25, PostgreSQL ts_rank), best first. Any term, not every one: a question in words
 * rarely has all its words in one definition.
 */
export async function fullTextCandidates(db: DatabaseClient, dialect: CodeDialect, terms: readonly string[], scope: CandidateScope): Promise<Candidate[]> {
  const query = dialect.anyTerm(terms);
  if (query === null || scope.kinds.length === 0) return [];
  const params: Array<string | number> = [];
  const param = (value: string | number) => (params.push(value), dialect.param(params.length));
  const queryParam = param(query);
  const match = dialect.textMatch(queryParam);
  const sql =
    `SELECT ${HIT_COLUMNS}, ${dialect.score(queryParam)} AS score FROM ${match.from} ${HIT_JOINS} ` +
    `WHERE ${[match.where, ...scopeFilters(scope, param)].join(' AND ')} ORDER BY score DESC, s.id LIMIT ${param(scope.limit)}`;
  const { data: rows = [] } = await db.execute(sql, params);
  return rows.map(candidate);
}

/**
 * The full-text list from the vectorizer's terms (symbol_terms: title, signature,
 * docstring, members and body lines, as stems): definitions matching any of the question's
 * stems (questionStems), by BM25 (PostgreSQL: ts_rank) with the fields weighted, best first.
 * Only embedded definitions have terms: the caller uses it where a project is embedded whole.
 */
export async function termCandidates(db: DatabaseClient, dialect: CodeDialect, stems: readonly string[], scope: CandidateScope): Promise<Candidate[]> {
  const query = dialect.anyExactTerm(stems);
  if (query === null || scope.kinds.length === 0) return [];
  const params: Array<string | number> = [];
  const param = (value: string | number) => (params.push(value), dialect.param(params.length));
  const match = dialect.termsMatch(param(query));
  const sql =
    `SELECT ${HIT_COLUMNS}, ${match.score} AS score FROM ${match.from} ${HIT_JOINS} ` +
    `WHERE ${[match.where, ...scopeFilters(scope, param)].join(' AND ')} ORDER BY score DESC, s.id LIMIT ${param(scope.limit)}`;
  const { data: rows = [] } = await db.execute(sql, params);
  return rows.map(candidate);
}

/** Definitions whose name or qualified name is the question as typed, case aside: the hybrid ranking puts them first. */
export async function exactNameCandidates(db: DatabaseClient, dialect: CodeDialect, text: string, scope: CandidateScope): Promise<Candidate[]> {
  const needle = text.trim().toLowerCase();
  if (needle === '' || /\s/.test(needle) || scope.kinds.length === 0) return [];
  const params: Array<string | number> = [];
  const param = (value: string | number) => (params.push(value), dialect.param(params.length));
  // The full-text index narrows (every word of the name, as a prefix), then case is ignored exactly.
  const query = dialect.query(needle.slice(needle.lastIndexOf('.') + 1));
  if (query === null) return [];
  const match = dialect.textMatch(param(query));
  const sql =
    `SELECT ${HIT_COLUMNS} FROM ${match.from} ${HIT_JOINS} WHERE ` +
    [match.where, `(lower(s.name) = ${param(needle)} OR lower(s.qualified_name) = ${param(needle)})`, ...scopeFilters(scope, param)].join(' AND ') +
    ` ORDER BY f.path_rank, f.path, s.line_start LIMIT ${param(scope.limit)}`;
  const { data: rows = [] } = await db.execute(sql, params);
  return rows.map(candidate);
}

/** The hits of some definitions by row id, in one query; ids no longer in the index are left out. */
export async function candidatesByIds(db: DatabaseClient, ids: readonly number[]): Promise<Map<number, Candidate>> {
  if (ids.length === 0) return new Map();
  const unique = [...new Set(ids)];
  // Whole numbers from the database: safe to write into the statement.
  const sql = `SELECT ${HIT_COLUMNS} FROM symbols s ${HIT_JOINS} WHERE s.id IN (${unique.map((id) => Math.trunc(id)).join(', ')})`;
  const { data: rows = [] } = await db.execute(sql);
  return new Map(rows.map((row) => [Number(row.id), candidate(row)]));
}
