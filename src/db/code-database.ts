import type { FileContent, ParsedSymbol, StoredReference } from './code-types.ts';
import { RpcError } from '../ipc/errors.ts';
import type { CallOptions } from '../ipc/rpc-client.ts';
import { type CodeDialect, codeDialect } from './code-dialect.ts';
import { findReferences, type ReferenceOptions } from './code-references.ts';
import { type SearchOptions, searchSymbols, type SymbolHit } from './code-search.ts';
import { CodeVectors } from './code-vectors.ts';
import { type Candidate, type CandidateScope, candidatesByIds, exactNameCandidates, fullTextCandidates, termCandidates } from './semantic-candidates.ts';
import { type FileInput, type FileTouch, type FileWrite, removeFiles, writeFiles } from './code-writes.ts';
import type { DatabaseClient } from './database-client.ts';
import { packReferences } from './reference-packing.ts';

export type { FileInput, FileTouch, FileWrite, StoredContent } from './code-writes.ts';
export type { SymbolHit } from './code-search.ts';

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

const LOCATED_SYMBOL = ['id', 'file_id', 'project_id', 'name', 'kind', 'qualified_name', 'parent', 'line_start', 'line_end', 'signature', 'docstring'];

/** What a file record holds (the index's own bookkeeping columns stay inside). */
const FILE_RECORD = ['id', 'path', 'language', 'size', 'mtime_ms', 'hash', 'lines', 'parse_error', 'indexed_at'];

/** Indexing is background work: it yields to everything interactive. */
const LOW: CallOptions = { priority: 'low' };

/**
 * The code-analysis domain (DESIGN §9) on top of the DatabaseClient, and nothing else: it
 * works the same over the driver process and over PostgreSQL in process. A file's rows
 * (file, symbols, references, search entries) are always written in one transaction.
 */
export class CodeDatabase {
  /** The vectors of semantic search and the models they were made with (src/db/code-vectors.ts). */
  readonly vectors: CodeVectors;

  private constructor(
    readonly db: DatabaseClient,
    private readonly dialect: CodeDialect,
  ) {
    this.vectors = new CodeVectors(db, dialect);
  }

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

  /** What the index holds of the project's files (of only `paths`, when given), by path. */
  async fileStates(projectId: number, paths?: string[]): Promise<Map<string, FileState>> {
    const { data } = await this.db.select<FileState>('files', {
      where: paths === undefined ? { project_id: projectId } : { project_id: projectId, path: { in: paths } },
      columns: ['id', 'path', 'size', 'mtime_ms', 'hash', 'indexed_at'],
    });
    return new Map(data.map((file) => [file.path, file]));
  }

  /** Paths of the project's files under the folder `dir` (relative, no trailing '/'). */
  async pathsUnder(projectId: number, dir: string): Promise<string[]> {
    const prefix = `${dir}/`;
    const p = (n: number) => this.dialect.param(n);
    // A prefix compared as text, not a LIKE pattern: a folder name may hold `_` or `%`.
    const sql = `SELECT path FROM files WHERE project_id = ${p(1)} AND substr(path, 1, ${p(2)}) = ${p(3)} ORDER BY path`;
    const { data: rows = [] } = await this.db.execute(sql, [projectId, prefix.length, prefix]);
    return rows.map((row) => String(row.path));
  }

  async files(projectId: number): Promise<FileRecord[]> {
    return (await this.db.select<FileRecord>('files', { where: { project_id: projectId }, columns: FILE_RECORD, order_by: ['path'] })).data;
  }

  async file(projectId: number, path: string): Promise<FileRecord | null> {
    return (await this.db.select<FileRecord>('files', { where: { project_id: projectId, path }, columns: FILE_RECORD })).data[0] ?? null;
  }

  /** Replace everything stored about one file, in one transaction. */
  async saveFile(projectId: number, file: FileInput, parsed: FileContent): Promise<{ file_id: number; symbols: number }> {
    const content = { symbols: parsed.symbols, references: packReferences(parsed.references), error: parsed.error };
    const ids = await writeFiles(this.db, this.dialect, projectId, [{ file, content }]);
    return { file_id: ids.get(file.path)!, symbols: parsed.symbols.length };
  }

  /**
   * Store many files in one transaction (each replacing what was stored of it), and the new
   * mtimes of files whose content did not change; answers the files' ids by path.
   */
  async writeFiles(projectId: number, saved: FileWrite[], touched: FileTouch[] = []): Promise<Map<string, number>> {
    return writeFiles(this.db, this.dialect, projectId, saved, touched);
  }

  async removeFiles(projectId: number, paths: string[]): Promise<void> {
    await removeFiles(this.db, this.dialect, projectId, paths);
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
    const scope = { ...(options.projectId === undefined ? {} : { project_id: options.projectId }), ...(options.fileId === undefined ? {} : { file_id: options.fileId }) };
    const order_by = ['project_id', 'file_id', 'line_start', 'id'];
    const exact = await this.db.select<LocatedSymbol>('symbols', { where: { ...scope, qualified_name: qualifiedName }, columns: LOCATED_SYMBOL, order_by, limit: options.limit });
    if (exact.data.length > 0) return exact.data;
    const name = qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
    // LIKE narrows (its `_` and `%` may match more); the suffix is then checked exactly.
    const named = await this.db.select<LocatedSymbol>('symbols', { where: { ...scope, name, qualified_name: { like: `%.${qualifiedName}` } }, columns: LOCATED_SYMBOL, order_by });
    return named.data.filter((symbol) => symbol.qualified_name.endsWith(`.${qualifiedName}`)).slice(0, options.limit);
  }

  /** The symbols whose parent is one of `parents`, in these files (one query), in line order. */
  async childrenOf(fileIds: number[], parents: string[]): Promise<LocatedSymbol[]> {
    if (fileIds.length === 0 || parents.length === 0) return [];
    const where = { file_id: { in: [...new Set(fileIds)] }, parent: { in: [...new Set(parents)] } };
    return (await this.db.select<LocatedSymbol>('symbols', { where, columns: LOCATED_SYMBOL, order_by: ['line_start', 'id'] })).data;
  }

  /** Files by row id, in one query; missing ids are left out. */
  async filesByIds(ids: number[]): Promise<FileRecord[]> {
    const unique = [...new Set(ids)];
    return unique.length === 0 ? [] : (await this.db.select<FileRecord>('files', { where: { id: { in: unique } }, columns: FILE_RECORD })).data;
  }

  /** A project's files at these paths, in one query; paths not indexed are left out. */
  async filesAt(projectId: number, paths: string[]): Promise<FileRecord[]> {
    const unique = [...new Set(paths)];
    return unique.length === 0 ? [] : (await this.db.select<FileRecord>('files', { where: { project_id: projectId, path: { in: unique } }, columns: FILE_RECORD })).data;
  }

  /** Symbols whose name, qualified name or docstring matches the words, best first (src/db/code-search.ts). */
  async search(text: string, options: SearchOptions = {}): Promise<SymbolHit[]> {
    return searchSymbols(this.db, this.dialect, text, options);
  }

  /** The candidate lists of semantic search besides the vectors (src/db/semantic-candidates.ts). */
  fullTextCandidates(terms: readonly string[], scope: CandidateScope): Promise<Candidate[]> {
    return fullTextCandidates(this.db, this.dialect, terms, scope);
  }

  termCandidates(stems: readonly string[], scope: CandidateScope): Promise<Candidate[]> {
    return termCandidates(this.db, this.dialect, stems, scope);
  }

  exactNameCandidates(text: string, scope: CandidateScope): Promise<Candidate[]> {
    return exactNameCandidates(this.db, this.dialect, text, scope);
  }

  candidatesByIds(ids: readonly number[]): Promise<Map<number, Candidate>> {
    return candidatesByIds(this.db, ids);
  }

  /** Where a name is used, by path, line and column, each with its enclosing symbol (src/db/code-references.ts). */
  async references(name: string, options: ReferenceOptions = {}): Promise<StoredReference[]> {
    return findReferences(this.db, this.dialect, name, options);
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
    for (const row of files.data ?? []) {
      languages[String(row.language)] = Number(row.files);
      total += Number(row.files);
      lines += Number(row.lines ?? 0);
      errors += Number(row.errors);
    }
    const symbols: Record<string, number> = {};
    for (const row of kinds.data ?? []) symbols[String(row.kind)] = Number(row.n);
    return { files: total, lines, parse_errors: errors, symbols, languages };
  }
}
