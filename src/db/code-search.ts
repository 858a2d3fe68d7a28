import type { CodeDialect } from './code-dialect.ts';
import type { SymbolKind } from './code-types.ts';
import type { DatabaseClient } from './database-client.ts';

/** A search result: where the symbol is, path relative to its project's root. */
export type SymbolHit = {
  name: string;
  kind: SymbolKind;
  qualified_name: string;
  path: string;
  line_start: number;
  line_end: number;
  project: string;
  docstring: string | null;
};

export interface SearchOptions {
  kind?: SymbolKind;
  projectId?: number;
  limit?: number;
}

/**
 * Symbols whose name, qualified name or docstring matches every word, in one statement
 * (filtered and ordered in SQL, so a limit never hides a better match), best first:
 * 1. the name equal to the query as typed, then equal ignoring case, then starting with
 *    it, then containing it, then the rest (docstring matches);
 * 2. definitions (class, function, method) before imports;
 * 3. files of the project's main code (`src/`, `lib/`) before the rest, and tests,
 *    examples and docs last (src/db/path-rank.ts);
 * 4. text relevance, then path and line, so equal results come in a stable order.
 */
export async function searchSymbols(db: DatabaseClient, dialect: CodeDialect, text: string, options: SearchOptions = {}): Promise<SymbolHit[]> {
  const query = dialect.query(text);
  if (query === null) return [];
  const typed = text.trim();
  const needle = typed.toLowerCase();
  const params: Array<string | number> = [];
  const param = (value: string | number) => {
    params.push(value);
    return dialect.param(params.length);
  };
  const match = dialect.textMatch(param(query));
  const filters = [
    ...(options.kind !== undefined ? [`s.kind = ${param(options.kind)}`] : []),
    ...(options.projectId !== undefined ? [`s.project_id = ${param(options.projectId)}`] : []),
  ];
  const name = 'lower(s.name)';
  const nameTier =
    `CASE WHEN s.name = ${param(typed)} THEN 0 WHEN ${name} = ${param(needle)} THEN 1 ` +
    `WHEN substr(${name}, 1, ${param(needle.length)}) = ${param(needle)} THEN 2 WHEN ${dialect.contains(name, param(needle))} THEN 3 ELSE 4 END`;
  const sql =
    'SELECT s.name AS name, s.kind AS kind, s.qualified_name AS qualified_name, f.path AS path, s.line_start AS line_start, ' +
    's.line_end AS line_end, p.root AS project, s.docstring AS docstring ' +
    `FROM ${match.from} JOIN files f ON f.id = s.file_id JOIN projects p ON p.id = s.project_id ` +
    `WHERE ${[match.where, ...filters].join(' AND ')} ` +
    `ORDER BY ${nameTier}, CASE WHEN s.kind = 'import' THEN 1 ELSE 0 END, f.path_rank, ${match.relevance}, f.path, s.line_start ` +
    `LIMIT ${param(options.limit ?? 50)}`;
  const { data: rows = [] } = await db.execute(sql, params);
  return rows.map(symbolHit);
}

/** A row of the search statements (the columns of SymbolHit) as a SymbolHit. */
export function symbolHit(row: Record<string, unknown>): SymbolHit {
  return {
    name: String(row.name),
    kind: row.kind as SymbolKind,
    qualified_name: String(row.qualified_name),
    path: String(row.path),
    line_start: Number(row.line_start),
    line_end: Number(row.line_end),
    project: String(row.project),
    docstring: row.docstring === null ? null : String(row.docstring),
  };
}
