import { basename, isAbsolute, join, relative, sep } from 'node:path';
import type { Logger } from '../runtime/logger.ts';
import type { CodeDatabase, FileState, Project } from '../db/code-database.ts';
import { RpcError } from '../ipc/errors.ts';
import type { FileSystem } from '../runtime/types.ts';
import { walkSources } from './source-walker.ts';
import type { SourceParser } from './types.ts';

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
  parser: SourceParser;
  logger: Logger;
  /** Default 2 MiB. */
  maxFileBytes?: number;
  /** Absolute directories never indexed (the server's data dir). */
  excludeDirs?: string[];
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/**
 * A file modified within a second of being indexed may have changed again in the same
 * mtime tick without changing its size (git's "racily clean" case): trust only its hash.
 */
const RACY_MS = 1_000;
function racilyClean(before: FileState): boolean {
  return before.mtime_ms >= Date.parse(before.indexed_at) - RACY_MS;
}

/** The driver went away: stop this scan; the next one carries on where it stopped. */
function isConnectionLoss(error: unknown): boolean {
  return error instanceof RpcError && (error.is('CONNECTION_ERROR') || error.is('SHUTTING_DOWN'));
}

/** A scan of `root` that starts now, nothing counted yet. */
export function startedScan(root: string): ScanProgress {
  const counts = { seen: 0, indexed: 0, unchanged: 0, touched: 0, removed: 0, failed: 0, parse_errors: 0, symbols: 0, skipped: 0 };
  return { root, state: 'scanning', ...counts, started_at: new Date().toISOString(), finished_at: null, error: null };
}

/**
 * One scan of one project: walk its sources, skip files whose size and mtime (then
 * content hash) are unchanged, parse and store the others one transaction per file,
 * and remove files that are gone. A file that fails to parse is stored with its error;
 * losing the driver ends the scan (each file already written is whole).
 */
export async function scanProject(
  context: IndexerContext,
  project: Project,
  onProgress: (progress: ScanProgress) => void = () => undefined,
  shouldStop: () => boolean = () => false,
): Promise<ScanProgress> {
  const { fs, code, parser, logger } = context;
  const progress = startedScan(project.root);
  const finish = (state: ScanProgress['state'], error: string | null = null) => {
    progress.state = state;
    progress.error = error;
    progress.finished_at = new Date().toISOString();
    onProgress({ ...progress });
    return progress;
  };
  try {
    const known = await code.fileStates(project.id);
    const seen = new Set<string>();
    const sources = walkSources(fs, project.root, {
      languageOf: (name) => parser.languageOf(name),
      maxFileBytes: context.maxFileBytes ?? 2 * 1024 * 1024,
      excludeDirs: context.excludeDirs,
      onSkipped: (path, reason) => {
        progress.skipped++;
        logger.debug(`skipped ${path}: ${reason}`);
      },
    });
    for await (const file of sources) {
      if (shouldStop()) return finish('aborted', 'stopped');
      seen.add(file.path);
      progress.seen++;
      const before = known.get(file.path);
      if (before && before.size === file.size && before.mtime_ms === file.mtimeMs && !racilyClean(before)) {
        progress.unchanged++;
        continue;
      }
      try {
        await indexFile(context, project, file, before, progress);
      } catch (error) {
        if (isConnectionLoss(error)) throw error;
        progress.failed++;
        logger.warn(`${project.root}/${file.path}: ${(error as Error).message}`);
      }
      if (progress.seen % 25 === 0) onProgress({ ...progress });
    }
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

async function indexFile(
  context: IndexerContext,
  project: Project,
  file: { path: string; absolute: string; language: string; size: number; mtimeMs: number },
  before: FileState | undefined,
  progress: ScanProgress,
): Promise<void> {
  const bytes = await context.fs.readBytes(file.absolute);
  const hash = await sha256(bytes);
  if (before && before.hash === hash) {
    progress.unchanged++;
    if (before.mtime_ms !== file.mtimeMs) {
      await context.code.touchFile(before.id, file.mtimeMs);
      progress.touched++;
    }
    return;
  }
  const source = new TextDecoder().decode(bytes);
  const language = context.parser.languageOf(file.path)!;
  const parsed = await context.parser.parse(source, language);
  if (parsed.error) progress.parse_errors++;
  const stored = await context.code.saveFile(
    project.id,
    { path: file.path, language, size: bytes.length, mtime_ms: file.mtimeMs, hash, lines: countLines(source) },
    parsed,
  );
  progress.indexed++;
  progress.symbols += stored.symbols;
}

export type SingleFileOutcome = { state: 'indexed' | 'unchanged' | 'removed' | 'absent'; symbols: number };

/**
 * Index one file of a project now, the way a scan would (for a tool that found it changed
 * on disk): stored again when its content changed, removed from the index when it is no
 * longer a source file a scan would index (gone, a link, too large).
 */
export async function indexSingleFile(context: IndexerContext, project: Project, path: string): Promise<SingleFileOutcome> {
  const { fs, code, parser } = context;
  const absolute = join(project.root, path);
  const info = await fs.stat(absolute);
  const language = parser.languageOf(path);
  const before = (await code.file(project.id, path)) ?? undefined;
  if (!info?.isFile || !language || info.size > (context.maxFileBytes ?? 2 * 1024 * 1024) || !(await walkable(context, project.root, absolute))) {
    if (!before) return { state: 'absent', symbols: 0 };
    await code.removeFiles(project.id, [path]);
    return { state: 'removed', symbols: 0 };
  }
  const progress = { indexed: 0, unchanged: 0, touched: 0, parse_errors: 0, symbols: 0 } as ScanProgress;
  await indexFile(context, project, { path, absolute, language, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) }, before, progress);
  return { state: progress.indexed ? 'indexed' : 'unchanged', symbols: progress.symbols };
}

/**
 * Whether a scan would reach the file: the walk follows no symbolic link (a folder of the
 * path replaced by a link leads elsewhere) and never enters the excluded directories.
 */
async function walkable(context: IndexerContext, root: string, absolute: string): Promise<boolean> {
  const [realRoot, real] = await Promise.all([context.fs.realpath(root), context.fs.realpath(absolute)]);
  const within = (path: string, dir: string) => {
    const rel = relative(dir, path);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  };
  if (!realRoot || !real || relative(realRoot, real) !== relative(root, absolute)) return false;
  return !(context.excludeDirs ?? []).some((dir) => within(absolute, dir));
}

/** The project of a directory, created on first sight; named after the directory. */
export function projectName(root: string): string {
  return basename(root) || root;
}
