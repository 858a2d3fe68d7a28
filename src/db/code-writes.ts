import { encodeBlob } from '../driver/values.ts';
import type { CodeDialect } from './code-dialect.ts';
import type { ParsedSymbol } from './code-types.ts';
import type { BatchOperation, DatabaseClient } from './database-client.ts';
import { pathRank } from './path-rank.ts';
import type { PackedReferences } from './reference-packing.ts';

/** What the indexer knows of a file before storing it. */
export type FileInput = {
  /** Relative to the project root, with '/' separators. */
  path: string;
  language: string;
  size: number;
  mtime_ms: number;
  hash: string;
  lines: number;
};

/** One file's rows as they are stored: its symbols and its references, packed. */
export interface StoredContent {
  symbols: ParsedSymbol[];
  references: PackedReferences;
  error: string | null;
}

export interface FileWrite {
  file: FileInput;
  content: StoredContent;
}

/** A file whose content is unchanged but whose mtime moved: only the mtime is written. */
export interface FileTouch {
  id: number;
  mtime_ms: number;
}

/** Files a single upsert statement carries (11 parameters each). */
const UPSERT_CHUNK = 200;
const FILE_COLUMNS = ['project_id', 'path', 'language', 'size', 'mtime_ms', 'hash', 'lines', 'parse_error', 'indexed_at', 'symbol_count', 'path_rank'];
const UPDATED = FILE_COLUMNS.filter((column) => column !== 'project_id' && column !== 'path');

/** Insert or update the files' rows (their ids stay the same across saves); answers id by path. */
async function upsertFiles(tx: DatabaseClient, dialect: CodeDialect, projectId: number, saved: FileWrite[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const indexedAt = new Date().toISOString();
  for (let start = 0; start < saved.length; start += UPSERT_CHUNK) {
    const chunk = saved.slice(start, start + UPSERT_CHUNK);
    const params = chunk.flatMap(({ file, content }) => [
      projectId,
      file.path,
      file.language,
      file.size,
      file.mtime_ms,
      file.hash,
      file.lines,
      content.error,
      indexedAt,
      content.symbols.length,
      pathRank(file.path),
    ]);
    let n = 0;
    const values = chunk.map(() => `(${FILE_COLUMNS.map(() => dialect.param(++n)).join(', ')})`).join(', ');
    const sql =
      `INSERT INTO files (${FILE_COLUMNS.join(', ')}) VALUES ${values} ` +
      `ON CONFLICT (project_id, path) DO UPDATE SET ${UPDATED.map((column) => `${column} = excluded.${column}`).join(', ')} RETURNING id, path`;
    const { data: rows = [] } = await tx.execute(sql, params);
    for (const row of rows) ids.set(String(row.path), Number(row.id));
  }
  return ids;
}

/**
 * Store several files at once, each replacing whatever was stored of it, plus the new
 * mtimes of touched files: one transaction, three round trips (the file rows, then one
 * batch with everything hanging off them, then the commit) however many files it holds.
 */
export async function writeFiles(
  db: DatabaseClient,
  dialect: CodeDialect,
  projectId: number,
  saved: FileWrite[],
  touched: FileTouch[] = [],
): Promise<Map<string, number>> {
  if (saved.length === 0 && touched.length === 0) return new Map();
  const touches: BatchOperation[] = touched.map((touch) => ({ method: 'update', params: { table_name: 'files', where: { id: touch.id }, data: { mtime_ms: touch.mtime_ms } } }));
  // Only new mtimes: one batch is atomic by itself.
  if (saved.length === 0) return (await db.batch(touches, { priority: 'low' }), new Map());
  // One row per path: the last write of a path wins, as it would one save after another.
  const unique = [...new Map(saved.map((write) => [write.file.path, write])).values()];
  return db.transaction(
    async (tx) => {
      const ids = await upsertFiles(tx, dialect, projectId, unique);
      const operations: BatchOperation[] = [];
      if (ids.size > 0) {
        const fileIds = [...ids.values()];
        // Whole numbers the database just gave: safe to write into the statement.
        const list = fileIds.join(', ');
        for (const sql of dialect.unindex?.(list) ?? []) operations.push({ method: 'execute', params: { sql } });
        operations.push({ method: 'delete', params: { table_name: 'symbols', where: { file_id: { in: fileIds } } } });
        operations.push({ method: 'delete', params: { table_name: 'file_references', where: { file_id: { in: fileIds } } } });
        const symbols = unique.flatMap(({ file, content }) =>
          content.symbols.map((symbol) => ({ ...symbol, file_id: ids.get(file.path)!, project_id: projectId })),
        );
        if (symbols.length > 0) operations.push({ method: 'insert_many', params: { table_name: 'symbols', rows: symbols } });
        const references = unique.map(({ file, content }) => ({
          file_id: ids.get(file.path)!,
          names: content.references.names,
          positions: encodeBlob(content.references.positions),
        }));
        operations.push({ method: 'insert_many', params: { table_name: 'file_references', rows: references } });
        for (const sql of dialect.reindex?.(list) ?? []) operations.push({ method: 'execute', params: { sql } });
      }
      await tx.batch([...operations, ...touches]);
      return ids;
    },
    { priority: 'low' },
  );
}

/** Paths removed per transaction: a list of bound parameters stays far below any database's limit. */
const REMOVE_CHUNK = 500;

/** Remove files and everything hanging off them, search entries included. */
export async function removeFiles(db: DatabaseClient, dialect: CodeDialect, projectId: number, paths: string[]): Promise<void> {
  for (let start = 0; start < paths.length; start += REMOVE_CHUNK) {
    const chunk = paths.slice(start, start + REMOVE_CHUNK);
    await db.transaction(
      async (tx) => {
        const { data } = await tx.select<{ id: number }>('files', { where: { project_id: projectId, path: { in: chunk } }, columns: ['id'] });
        if (data.length === 0) return;
        const fileIds = data.map((file) => file.id);
        const operations: BatchOperation[] = (dialect.unindex?.(fileIds.join(', ')) ?? []).map((sql) => ({ method: 'execute', params: { sql } }));
        operations.push({ method: 'delete', params: { table_name: 'files', where: { id: { in: fileIds } } } });
        await tx.batch(operations);
      },
      { priority: 'low' },
    );
  }
}
