import type { CodeDialect } from './code-dialect.ts';
import type { ParsedReference, StoredReference, SymbolKind } from './code-types.ts';
import type { DatabaseClient, SchemaDefinitionInput } from './database-client.ts';

/**
 * The interim store of references (issue 10), one row per reference, until the packed
 * store of issue 12 replaces this file: same calls from CodeDatabase, same answers.
 */
export const REFERENCES_TABLE: SchemaDefinitionInput['tables'][number] = {
  name: 'refs',
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'file_id', type: 'integer', not_null: true, references: { table: 'files', column: 'id', on_delete: 'cascade' } },
    { name: 'project_id', type: 'integer', not_null: true },
    { name: 'name', type: 'text', not_null: true },
    { name: 'line', type: 'integer', not_null: true },
    { name: 'column', type: 'integer', not_null: true },
    { name: 'kind', type: 'text', not_null: true },
  ],
  indexes: [
    { name: 'refs_name', columns: ['name', 'project_id'] },
    { name: 'refs_file', columns: ['file_id'] },
  ],
};

const CHUNK = 500;

/** Replace a file's references; called inside the transaction that writes the file's symbols. */
export async function saveReferences(tx: DatabaseClient, projectId: number, fileId: number, references: ParsedReference[], replacing: boolean): Promise<void> {
  if (replacing) await tx.delete('refs', { file_id: fileId });
  const rows = references.map((reference) => ({ ...reference, file_id: fileId, project_id: projectId }));
  for (let start = 0; start < rows.length; start += CHUNK) await tx.insertMany('refs', rows.slice(start, start + CHUNK));
}

type Row = { name: string; line: number; column: number; kind: ParsedReference['kind']; project_id: number; file_id: number; path: string };
type Enclosing = { qualified_name: string; kind: SymbolKind; line_start: number; line_end: number };

/** The innermost class, function or method whose lines hold the line, or null at module level. */
function enclosingOf(symbols: Enclosing[], line: number): string | null {
  let best: Enclosing | null = null;
  for (const symbol of symbols) {
    if (symbol.kind === 'import' || symbol.line_start > line || symbol.line_end < line) continue;
    if (!best || symbol.line_end - symbol.line_start <= best.line_end - best.line_start) best = symbol;
  }
  return best?.qualified_name ?? null;
}

/** References to `name`, by project, path, line and column, each with its enclosing symbol. */
export async function findReferences(
  db: DatabaseClient,
  dialect: CodeDialect,
  name: string,
  options: { projectId?: number; path?: string; limit?: number },
): Promise<StoredReference[]> {
  const params: Array<string | number> = [name];
  const p = () => dialect.param(params.length);
  let sql = `SELECT r.name, r.line, r."column", r.kind, r.project_id, r.file_id, f.path FROM refs r JOIN files f ON f.id = r.file_id WHERE r.name = ${p()}`;
  if (options.projectId !== undefined) {
    params.push(options.projectId);
    sql += ` AND r.project_id = ${p()}`;
  }
  if (options.path !== undefined) {
    params.push(options.path);
    sql += ` AND f.path = ${p()}`;
  }
  params.push(options.limit ?? 1_000);
  sql += ` ORDER BY r.project_id, f.path, r.line, r."column" LIMIT ${p()}`;
  const rows = ((await db.execute(sql, params)).rows ?? []) as Row[];
  const symbolsByFile = new Map<number, Enclosing[]>();
  const fileIds = [...new Set(rows.map((row) => Number(row.file_id)))];
  if (fileIds.length > 0) {
    const { data } = await db.select<Enclosing & { file_id: number }>('symbols', {
      where: { file_id: { in: fileIds }, kind: { ne: 'import' } },
      columns: ['file_id', 'qualified_name', 'kind', 'line_start', 'line_end'],
    });
    for (const symbol of data) symbolsByFile.set(Number(symbol.file_id), [...(symbolsByFile.get(Number(symbol.file_id)) ?? []), symbol]);
  }
  return rows.map((row) => ({
    name: row.name,
    line: Number(row.line),
    column: Number(row.column),
    kind: row.kind,
    project_id: Number(row.project_id),
    path: row.path,
    enclosing: enclosingOf(symbolsByFile.get(Number(row.file_id)) ?? [], Number(row.line)),
  }));
}
