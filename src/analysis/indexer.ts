import { basename } from 'node:path';
import type { Logger } from '../runtime/logger.ts';
import type { CodeDatabase, FileState, FileWrite, Project } from '../db/code-database.ts';
import { RpcError } from '../ipc/errors.ts';
import type { FileSystem } from '../runtime/types.ts';
import { BatchWriter, isConnectionLoss } from './batch-writer.ts';
import { languageOf } from './languages.ts';
import type { ParseJob } from './parse-job.ts';
import type { FileParser } from './parse-pool.ts';
import { type SourceFile, walkSources } from './source-walker.ts';

export interface ScanProgress {
  root: string;
  state: 'scanning' | 'done' | 'aborted';
  /** Files seen so far (all of them once done). */
  seen: number;
  indexed: number;
  unchanged: number;
  /** Of the unchanged, those whose mtime changed (their new mtime is stored). */
  touched: number;
  removed: number;
  /** Files that could not be read; a file that does not parse is indexed with its error. */
  failed: number;
  parse_errors: number;
  symbols: number;
  skipped: number;
  started_at: string;
  finished_at: string | null;
  error: string | null;
}

export interface IndexerContext {
  fs: FileSystem;
  code: CodeDatabase;
  /** In process or a pool of parse threads (src/analysis/parse-pool.ts). */
  parser: FileParser;
  logger: Logger;
  /** Default 2 MiB. */
  maxFileBytes?: number;
  /** Absolute directories never indexed (the server's data dir). */
  excludeDirs?: string[];
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * A file modified within a second of being indexed may have changed again in the same
 * mtime tick without changing its size (git's "racily clean" case): trust only its hash.
 */
const RACY_MS = 1_000;
export function unchangedByStat(before: FileState | undefined, file: SourceFile): boolean {
  return !!before && before.size === file.size && before.mtime_ms === file.mtimeMs && before.mtime_ms < Date.parse(before.indexed_at) - RACY_MS;
}

export { isConnectionLoss };

export function startedScan(root: string): ScanProgress {
  return {
    root,
    state: 'scanning',
    seen: 0,
    indexed: 0,
    unchanged: 0,
    touched: 0,
    removed: 0,
    failed: 0,
    parse_errors: 0,
    symbols: 0,
    skipped: 0,
    started_at: new Date().toISOString(),
    finished_at: null,
    error: null,
  };
}

/**
 * Parses files and stores them in batches, keeping enough files in flight to keep the
 * parser busy. Failures of single files are counted; a failed write (the driver gone) is
 * kept and thrown by `finish` — or by `add` once it is known — after every file in
 * flight has settled, so nothing is left running behind the scan.
 */
export class FileIndexing {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly writer: BatchWriter;
  private failure: unknown = null;

  constructor(
    private readonly context: IndexerContext,
    project: Project,
    private readonly progress: ScanProgress,
    onWritten: () => void,
  ) {
    this.writer = new BatchWriter(
      context.code,
      project.id,
      (saved: FileWrite[], touched) => {
        progress.indexed += saved.length;
        progress.touched += touched.length;
        for (const write of saved) progress.symbols += write.content.symbols.length;
        onWritten();
      },
      (path, error) => {
        progress.failed++;
        context.logger.warn(`${project.root}/${path}: not stored: ${error.message}`);
      },
    );
  }

  async add(file: SourceFile, before: FileState | undefined): Promise<void> {
    const task = this.index(file, before).catch((error: unknown) => {
      this.failure ??= error;
    });
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
    if (this.inFlight.size >= this.context.parser.concurrency + 2) await Promise.race(this.inFlight);
    if (this.failure) await this.finish();
  }

  /** Wait for every file in flight and the last batch; throws the first failed write. */
  async finish(): Promise<void> {
    await Promise.all(this.inFlight);
    if (!this.failure) await this.writer.flush().catch((error: unknown) => (this.failure ??= error));
    if (this.failure) throw this.failure;
  }

  private async index(file: SourceFile, before: FileState | undefined): Promise<void> {
    const { parser, logger } = this.context;
    const progress = this.progress;
    let outcome;
    try {
      outcome = await parser.parse(parseJob(file, before?.hash ?? null));
    } catch (error) {
      progress.failed++;
      logger.warn(`${file.absolute}: ${(error as Error).message}`);
      return;
    }
    if (outcome.unchanged) {
      progress.unchanged++;
      if (before && before.mtime_ms !== file.mtimeMs) await this.writer.touch({ id: before.id, mtime_ms: file.mtimeMs });
      return;
    }
    if (outcome.content.error) progress.parse_errors++;
    const { size, hash, lines, content } = outcome;
    await this.writer.save({ file: { path: file.path, language: file.language, size, mtime_ms: file.mtimeMs, hash, lines }, content });
  }
}

/** Record the end of a scan in its progress, and report it. */
export function finishProgress(progress: ScanProgress, onProgress: (progress: ScanProgress) => void, state: ScanProgress['state'], error: string | null = null) {
  progress.state = state;
  progress.error = error;
  progress.finished_at = new Date().toISOString();
  onProgress({ ...progress });
  return progress;
}

/** What the parser is asked of a file. */
export function parseJob(file: SourceFile, knownHash: string | null): ParseJob {
  return { absolute: file.absolute, language: file.language, knownHash, size: file.size };
}

/** A project's sources walked ahead of its scan, and what the walk left out, with why. */
export interface ListedSources {
  files: SourceFile[];
  skipped: Array<[path: string, reason: string]>;
}

const walkOptions = (context: Pick<IndexerContext, 'maxFileBytes' | 'excludeDirs'>, onSkipped: (path: string, reason: string) => void) => ({
  languageOf,
  maxFileBytes: context.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  excludeDirs: context.excludeDirs,
  onSkipped,
});

/**
 * The files a scan of `root` would walk, listed: for a command that shows their number
 * before scanning them (one walk, not two), and lists them while the database starts.
 */
export async function listSources(fs: FileSystem, root: string, context: Pick<IndexerContext, 'maxFileBytes' | 'excludeDirs'>): Promise<ListedSources> {
  const listed: ListedSources = { files: [], skipped: [] };
  for await (const file of walkSources(fs, root, walkOptions(context, (path, reason) => listed.skipped.push([path, reason])))) listed.files.push(file);
  return listed;
}

/**
 * One scan of one project: walk its sources, skip files whose size and mtime (then
 * content hash) are unchanged, parse the others (in the parse threads) and store them
 * many files per transaction, and remove files that are gone. A file that fails to parse
 * is stored with its error; losing the driver ends the scan (each batch already written
 * is whole, and the next scan carries on). `listed`: its sources as listSources found
 * them, to scan instead of walking the tree.
 */
export async function scanProject(
  context: IndexerContext,
  project: Project,
  onProgress: (progress: ScanProgress) => void = () => undefined,
  shouldStop: () => boolean = () => false,
  listed?: ListedSources,
): Promise<ScanProgress> {
  const { fs, code, logger } = context;
  const progress = startedScan(project.root);
  const finish = (state: ScanProgress['state'], error: string | null = null) => finishProgress(progress, onProgress, state, error);
  try {
    const known = await code.fileStates(project.id);
    const seen = new Set<string>();
    const indexing = new FileIndexing(context, project, progress, () => onProgress({ ...progress }));
    const skipped = (path: string, reason: string) => {
      progress.skipped++;
      logger.debug(`skipped ${path}: ${reason}`);
    };
    for (const [path, reason] of listed?.skipped ?? []) skipped(path, reason);
    const sources = listed?.files ?? walkSources(fs, project.root, walkOptions(context, skipped));
    for await (const file of sources) {
      if (shouldStop()) {
        await indexing.finish();
        return finish('aborted', 'stopped');
      }
      seen.add(file.path);
      progress.seen++;
      const before = known.get(file.path);
      if (unchangedByStat(before, file)) progress.unchanged++;
      else await indexing.add(file, before);
      if (progress.seen % 25 === 0) onProgress({ ...progress });
    }
    await indexing.finish();
    const gone = [...known.keys()].filter((path) => !seen.has(path));
    await code.removeFiles(project.id, gone);
    progress.removed = gone.length;
    // A scan that finds nothing new writes nothing, not even its own date.
    if (progress.indexed + progress.removed + progress.touched > 0) await code.markScanned(project.id);
    return finish('done');
  } catch (error) {
    if (!isConnectionLoss(error) && !(error instanceof RpcError)) logger.error(`scan of ${project.root} failed:`, error);
    return finish('aborted', (error as Error).message);
  }
}

/** The project of a directory, created on first sight; named after the directory. */
export function projectName(root: string): string {
  return basename(root) || root;
}
