import type { FileContent, ParsedSymbol, StoredReference, SymbolKind } from './code-types.ts';
import { findReferences, saveReferences } from './code-references.ts';
import { RpcError } from '../ipc/errors.ts';
import type { CallOptions } from '../ipc/rpc-client.ts';
import { type CodeDialect, codeDialect } from './code-dialect.ts';
import type { DatabaseClient } from './database-client.ts';

export type Project = {
  id: number;
  root: string;
  name: string;
  created_at: string;
  last_scan_at: string | null;
};

/** What the indexer compares to decide whether a file changed. */
export type FileState = {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string;
  /** When its rows were written (ISO). */
  indexed_at: string;
};

export type FileRecord = FileState & {
  language: string;
  lines: number;
  parse_error: string | null;
};

/** A symbol as the parser made it, with its row id. */
export type StoredSymbol = ParsedSymbol & { id: number };

/** A symbol with the row ids of its file and project. */
export type LocatedSymbol = StoredSymbol & { file_id: number; project_id: number };

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

export type FileInput = Omit<FileState, 'id' | 'indexed_at'> & { language: string; lines: number };

/** Indexing is background work: it yields to everything interactive. */
const LOW: CallOptions = { priority: 'low' };
const INSERT_CHUNK = 500;

/**
 * The code-analysis domain (DESIGN §9) on top of the DatabaseClient, and nothing else: it
 * works the same over the driver process and over PostgreSQL in process. A file's rows
 * (file, symbols, search entries, tree) are always written in one transaction.
 */
export class CodeDatabase {
  private constructor(
    readonly db: DatabaseClient,
    private readonly dialect: CodeDialect,
  ) {}

  static async open(db: DatabaseClient): Promise<CodeDatabase> {
    const { driver } = await db.ping();
    return new CodeDatabase(db, codeDialect(driver));
  }

  async ensureProject(root: string, name: string): Promise<Project> {
    const existing = await this.projectByRoot(root);
    if (existing) return existing;
    try {
      await this.db.insert('projects', { root, name });
    } catch (error) {
      // Another process added it first: theirs is as good as ours.
      if (!(error instanceof RpcError && error.is('DATABASE_ERROR'))) throw error;
    }
    const created = await this.projectByRoot(root);
    if (!created) throw new RpcError('INTERNAL_ERROR', `project ${root} vanished right after it was added`);
    return created;
  }

  async projectByRoot(root: string): Promise<Project | null> {
    return (await this.db.select<Project>('projects', { where: { root } })).data[0] ?? null;
  }

  async project(id: number): Promise<Project | null> {
    return (await this.db.select<Project>('projects', { where: { id } })).data[0] ?? null;
  }

  async projects(): Promise<Project[]> {
    return (await this.db.select<Project>('projects', { order_by: ['root'] })).data;
  }

  async fileStates(projectId: number): Promise<Map<string, FileState>> {
    const { data } = await this.db.select<FileState>('files', {
      where: { project_id: projectId },
      columns: ['id', 'path', 'size', 'mtime_ms', 'hash', 'indexed_at'],
    });
    return new Map(data.map((file) => [file.path, file]));
  }

  async files(projectId: number): Promise<FileRecord[]> {
    const columns = ['id', 'path', 'language', 'size', 'mtime_ms', 'hash', 'lines', 'parse_error', 'indexed_at'];
    return (await this.db.select<FileRecord>('files', { where: { project_id: projectId }, columns, order_by: ['path'] })).data;
  }

  async file(projectId: number, path: string): Promise<FileRecord | null> {
    return (await this.db.select<FileRecord>('files', { where: { project_id: projectId, path } })).data[0] ?? null;
  }

  /** Replace everything stored about one file, in one transaction. */
  async saveFile(projectId: number, file: FileInput, parsed: FileContent): Promise<{ file_id: number; symbols: number }> {
    const { dialect } = this;
    return this.db.transaction(
      async (tx) => {
        const row = { ...file, parse_error: parsed.error, indexed_at: new Date().toISOString() };
        const existing = (await tx.select<{ id: number }>('files', { where: { project_id: projectId, path: file.path }, columns: ['id'] })).data[0];
        let fileId: number;
        if (existing) {
          fileId = existing.id;
          if (dialect.unindexFile) await tx.execute(dialect.unindexFile, [fileId]);
          await tx.delete('symbols', { file_id: fileId });
          await tx.delete('syntax_trees', { file_id: fileId });
          await tx.update('files', { id: fileId }, row);
        } else {
          fileId = Number((await tx.insert('files', { project_id: projectId, ...row })).row_id);
        }
        const rows = parsed.symbols.map((symbol) => ({ ...symbol, file_id: fileId, project_id: projectId }));
        for (let start = 0; start < rows.length; start += INSERT_CHUNK) await tx.insertMany('symbols', rows.slice(start, start + INSERT_CHUNK));
        if (dialect.indexFile && rows.length) await tx.execute(dialect.indexFile, [fileId]);
        await saveReferences(tx, projectId, fileId, parsed.references, existing !== undefined);
        await tx.insert('syntax_trees', { file_id: fileId, tree: parsed.tree as unknown as Record<string, unknown>, truncated: parsed.tree_truncated });
        return { file_id: fileId, symbols: rows.length };
      },
      { priority: 'low' },
    );
  }

  /** The content is unchanged but the file was touched: remember the new mtime, nothing else. */
  async touchFile(fileId: number, mtimeMs: number): Promise<void> {
    await this.db.update('files', { id: fileId }, { mtime_ms: mtimeMs }, LOW);
  }

  async removeFiles(projectId: number, paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    const { dialect } = this;
    await this.db.transaction(
      async (tx) => {
        const { data } = await tx.select<{ id: number }>('files', { where: { project_id: projectId, path: { in: paths } }, columns: ['id'] });
        if (dialect.unindexFile) for (const { id } of data) await tx.execute(dialect.unindexFile, [id]);
        if (data.length) await tx.delete('files', { id: { in: data.map((file) => file.id) } });
      },
      { priority: 'low' },
    );
  }

  async markScanned(projectId: number): Promise<void> {
    await this.db.update('projects', { id: projectId }, { last_scan_at: new Date().toISOString() }, LOW);
  }

  async symbolsOf(fileId: number): Promise<StoredSymbol[]> {
    const columns = ['id', 'name', 'kind', 'qualified_name', 'parent', 'line_start', 'line_end', 'signature', 'docstring'];
    return (await this.db.select<StoredSymbol>('symbols', { where: { file_id: fileId }, columns, order_by: ['line_start', 'id'] })).data;
  }

  /**
   * Symbols whose qualified name is `qualifiedName`, in project, file and line order; when
   * none is, those whose qualified name ends with it (`raw_decode` finds
   * `JSONDecoder.raw_decode`). For the tools' get_symbol.
   */
  async symbolsNamed(qualifiedName: string, options: { projectId?: number; fileId?: number; limit: number }): Promise<LocatedSymbol[]> {
    const columns = ['id', 'file_id', 'project_id', 'name', 'kind', 'qualified_name', 'parent', 'line_start', 'line_end', 'signature', 'docstring'];
    const scope = { ...(options.projectId === undefined ? {} : { project_id: options.projectId }), ...(options.fileId === undefined ? {} : { file_id: options.fileId }) };
    const order_by = ['project_id', 'file_id', 'line_start', 'id'];
    const exact = await this.db.select<LocatedSymbol>('symbols', { where: { ...scope, qualified_name: qualifiedName }, columns, order_by, limit: options.limit });
    if (exact.data.length > 0) return exact.data;
    const name = qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
    // LIKE narrows (its `_` and `%` may match more); the suffix is then checked exactly.
    const named = await this.db.select<LocatedSymbol>('symbols', { where: { ...scope, name, qualified_name: { like: `%.${qualifiedName}` } }, columns, order_by });
    return named.data.filter((symbol) => symbol.qualified_name.endsWith(`.${qualifiedName}`)).slice(0, options.limit);
  }

  /**
   * Where `name` is used (not defined), by project, path, line and column, each with the
   * innermost class, function or method around it; `path` is one file of the project.
   */
  references(name: string, options: { projectId?: number; path?: string; limit?: number } = {}): Promise<StoredReference[]> {
    return findReferences(this.db, this.dialect, name, options);
  }

  /** The symbols whose parent is one of `parents`, in these files (one query), in line order. */
  async childrenOf(fileIds: number[], parents: string[]): Promise<LocatedSymbol[]> {
    if (fileIds.length === 0 || parents.length === 0) return [];
    const columns = ['id', 'file_id', 'project_id', 'name', 'kind', 'qualified_name', 'parent', 'line_start', 'line_end', 'signature', 'docstring'];
    const where = { file_id: { in: [...new Set(fileIds)] }, parent: { in: [...new Set(parents)] } };
    return (await this.db.select<LocatedSymbol>('symbols', { where, columns, order_by: ['line_start', 'id'] })).data;
  }

  /** Files by row id, in one query; missing ids are left out. */
  async filesByIds(ids: number[]): Promise<FileRecord[]> {
    const unique = [...new Set(ids)];
    return unique.length === 0 ? [] : (await this.db.select<FileRecord>('files', { where: { id: { in: unique } } })).data;
  }

  /** A project's files at these paths, in one query; paths not indexed are left out. */
  async filesAt(projectId: number, paths: string[]): Promise<FileRecord[]> {
    const unique = [...new Set(paths)];
    return unique.length === 0 ? [] : (await this.db.select<FileRecord>('files', { where: { project_id: projectId, path: { in: unique } } })).data;
  }

  async treeOf(fileId: number): Promise<{ tree: unknown; truncated: boolean } | null> {
    return (await this.db.select<{ tree: unknown; truncated: boolean }>('syntax_trees', { where: { file_id: fileId }, columns: ['tree', 'truncated'] })).data[0] ?? null;
  }

  /** Symbols whose name or docstring matches the words; exact names first, then prefixes, then the rest. */
  async search(text: string, options: { kind?: SymbolKind; projectId?: number; limit?: number } = {}): Promise<SymbolHit[]> {
    const query = this.dialect.query(text);
    if (query === null) return [];
    const { sql, params } = this.dialect.match(query, text.trim().toLowerCase(), options, options.limit ?? 50);
    const matched = await this.db.execute(sql, params);
    const ids = (matched.rows ?? []).map((row) => Number(row.id));
    if (ids.length === 0) return [];
    const symbols = (await this.db.select<StoredSymbol & { file_id: number; project_id: number }>('symbols', { where: { id: { in: ids } } })).data;
    const files = await this.lookup<{ id: number; path: string }>('files', symbols.map((symbol) => symbol.file_id), ['id', 'path']);
    const projects = await this.lookup<{ id: number; root: string }>('projects', symbols.map((symbol) => symbol.project_id), ['id', 'root']);
    const order = new Map(ids.map((id, index) => [id, index]));
    return symbols
      .sort((a, b) => order.get(a.id)! - order.get(b.id)!)
      .map((symbol) => ({
        name: symbol.name,
        kind: symbol.kind,
        qualified_name: symbol.qualified_name,
        path: files.get(symbol.file_id)?.path ?? '',
        line_start: symbol.line_start,
        line_end: symbol.line_end,
        project: projects.get(symbol.project_id)?.root ?? '',
        docstring: symbol.docstring,
      }));
  }

  async stats(projectId: number): Promise<{ files: number; lines: number; parse_errors: number; symbols: Record<string, number>; languages: Record<string, number> }> {
    const p = this.dialect.param(1);
    const [files, kinds] = await Promise.all([
      this.db.execute(`SELECT language, count(*) AS files, sum(lines) AS lines, count(parse_error) AS errors FROM files WHERE project_id = ${p} GROUP BY language`, [projectId]),
      this.db.execute(`SELECT kind, count(*) AS n FROM symbols WHERE project_id = ${p} GROUP BY kind`, [projectId]),
    ]);
    const languages: Record<string, number> = {};
    let total = 0;
    let lines = 0;
    let errors = 0;
    for (const row of files.rows ?? []) {
      languages[String(row.language)] = Number(row.files);
      total += Number(row.files);
      lines += Number(row.lines ?? 0);
      errors += Number(row.errors);
    }
    const symbols: Record<string, number> = {};
    for (const row of kinds.rows ?? []) symbols[String(row.kind)] = Number(row.n);
    return { files: total, lines, parse_errors: errors, symbols, languages };
  }

  private async lookup<R extends { id: number }>(table: string, ids: number[], columns: string[]): Promise<Map<number, R>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const { data } = await this.db.select<R>(table, { where: { id: { in: unique } }, columns });
    return new Map(data.map((row) => [row.id, row]));
  }
}
