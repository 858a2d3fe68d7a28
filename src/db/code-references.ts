import type { CodeDialect } from './code-dialect.ts';
import type { StoredReference } from './code-types.ts';
import type { DatabaseClient } from './database-client.ts';
import { blobBytes, unpackReferences } from './reference-packing.ts';

export interface ReferenceOptions {
  projectId?: number;
  /** Only this file (relative to its project's root). */
  path?: string;
  /** Most references answered; 200 by default. */
  limit?: number;
}

/** Files whose packed references are read per statement while looking for more. */
const FILES_PER_PAGE = 100;

type Enclosing = {
  qualified_name: string;
  line_start: number;
  line_end: number;
};

/** The innermost of the symbols whose lines hold `line`: the one starting last, then the shortest. */
function innermost(symbols: Enclosing[] | undefined, line: number): string | null {
  let best: Enclosing | null = null;
  for (const symbol of symbols ?? []) {
    if (symbol.line_start > line || symbol.line_end < line) continue;
    if (!best || symbol.line_start > best.line_start || (symbol.line_start === best.line_start && symbol.line_end < best.line_end)) best = symbol;
  }
  return best?.qualified_name ?? null;
}

async function enclosingSymbols(db: DatabaseClient, fileIds: number[]): Promise<Map<number, Enclosing[]>> {
  const byFile = new Map<number, Enclosing[]>();
  if (fileIds.length === 0) return byFile;
  const { data } = await db.select<Enclosing & { file_id: number }>('symbols', {
    where: { file_id: { in: fileIds }, kind: { ne: 'import' } },
    columns: ['file_id', 'qualified_name', 'line_start', 'line_end'],
  });
  for (const symbol of data) {
    const list = byFile.get(symbol.file_id);
    if (list) list.push(symbol);
    else byFile.set(symbol.file_id, [symbol]);
  }
  return byFile;
}

/**
 * Where `name` is used (not defined), by path, then line, then column; each with the
 * innermost class, function or method around it. The name is looked up in the search
 * index over each file's names (which may find a few files too many: case, or a name
 * the tokenizer splits), then compared exactly in the unpacked rows.
 */
export async function findReferences(db: DatabaseClient, dialect: CodeDialect, name: string, options: ReferenceOptions = {}): Promise<StoredReference[]> {
  const limit = options.limit ?? 200;
  const params: Array<string | number> = [];
  const param = (value: string | number) => {
    params.push(value);
    return dialect.param(params.length);
  };
  const lookup = dialect.usesName(name);
  if (!lookup || limit < 1) return [];
  const conditions = [lookup.condition(param(lookup.value))];
  if (options.projectId !== undefined) conditions.push(`f.project_id = ${param(options.projectId)}`);
  if (options.path !== undefined) conditions.push(`f.path = ${param(options.path)}`);
  const select =
    'SELECT r.file_id AS file_id, f.project_id AS project_id, f.path AS path, r.names AS names, r.positions AS positions ' +
    `FROM file_references r JOIN files f ON f.id = r.file_id WHERE ${conditions.join(' AND ')} ORDER BY f.path, f.project_id`;
  const found: StoredReference[] = [];
  for (let offset = 0; found.length < limit; offset += FILES_PER_PAGE) {
    const { data: rows = [] } = await db.execute(`${select} LIMIT ${FILES_PER_PAGE} OFFSET ${offset}`, params);
    const page = rows.map((row) => ({
      fileId: Number(row.file_id),
      projectId: Number(row.project_id),
      path: String(row.path),
      uses: unpackReferences({ names: String(row.names), positions: blobBytes(row.positions) }, name),
    }));
    const files = page.filter((file) => file.uses.length > 0);
    const symbols = await enclosingSymbols(db, files.map((file) => file.fileId));
    for (const file of files) {
      for (const use of file.uses) {
        if (found.length === limit) break;
        found.push({ ...use, project_id: file.projectId, path: file.path, enclosing: innermost(symbols.get(file.fileId), use.line) });
      }
    }
    if (rows.length < FILES_PER_PAGE) break;
  }
  return found;
}
