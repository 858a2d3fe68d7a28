import { join } from 'node:path';
import type { Project } from '../db/code-database.ts';
import { RpcError } from '../ipc/errors.ts';
import {
  DEFAULT_MAX_FILE_BYTES,
  FileIndexing,
  finishProgress,
  type IndexerContext,
  isConnectionLoss,
  type ScanProgress,
  startedScan,
  unchangedByStat,
} from './indexer.ts';
import { languageOf } from './languages.ts';
import { sourceFileAt } from './source-walker.ts';

export interface ChangedFilesResult extends ScanProgress {
  /** A folder appeared or changed: the files in it are not known from the paths alone, a full scan is due. */
  needs_scan: boolean;
}

/**
 * Bring the index up to date for files the watcher said changed (paths relative to the
 * project root), without walking the project: each path that is a source file the walk
 * would index is stored (when its content changed), one that no longer is (deleted,
 * ignored, too large) is removed, and a removed folder takes its files with it.
 */
export async function indexChangedFiles(context: IndexerContext, project: Project, paths: string[]): Promise<ChangedFilesResult> {
  const { fs, code } = context;
  const progress = startedScan(project.root);
  let needsScan = false;
  const done = (state: ScanProgress['state'], error: string | null = null) => ({ ...finishProgress(progress, () => undefined, state, error), needs_scan: needsScan });
  // Only paths inside the project: the watcher's paths are relative to its root already.
  const unique = [...new Set(paths)].filter((path) => path !== '' && !path.split('/').includes('..'));
  try {
    const known = await code.fileStates(project.id, unique);
    const indexing = new FileIndexing(context, project, progress, () => undefined);
    const gone = new Set<string>();
    const options = { languageOf, maxFileBytes: context.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, excludeDirs: context.excludeDirs };
    for (const path of unique) {
      progress.seen++;
      const file = await sourceFileAt(fs, project.root, path, options);
      const before = known.get(path);
      if (file) {
        if (unchangedByStat(before, file)) progress.unchanged++;
        else await indexing.add(file, before);
      } else if (before) {
        gone.add(path);
      } else if (path.includes('\uFFFD')) {
        // A name that is not UTF-8 reaches the watcher mangled: the walk counts it (skipped).
        needsScan = true;
      } else {
        const info = await fs.stat(join(project.root, path));
        if (info?.isDirectory) needsScan = true;
        else if (!info && languageOf(path) === null) {
          // Perhaps a folder that was removed: whatever was indexed under it goes too.
          for (const stored of await code.pathsUnder(project.id, path)) gone.add(stored);
        }
      }
    }
    await indexing.finish();
    await code.removeFiles(project.id, [...gone]);
    progress.removed = gone.size;
    if (progress.indexed + progress.removed + progress.touched > 0) await code.markScanned(project.id);
    return done('done');
  } catch (error) {
    if (!isConnectionLoss(error) && !(error instanceof RpcError)) context.logger.error(`update of ${project.root} failed:`, error);
    return done('aborted', (error as Error).message);
  }
}

export type SingleFileOutcome = { state: 'indexed' | 'unchanged' | 'removed' | 'absent'; symbols: number };

/**
 * Index one file of a project now, the way a scan would (for a tool that found it changed
 * on disk): stored again when its content changed, removed from the index when it is no
 * longer a source file a scan would index (gone, ignored, a link or behind one, too
 * large). A lost driver or an unreadable file is an error.
 */
export async function indexSingleFile(context: IndexerContext, project: Project, path: string): Promise<SingleFileOutcome> {
  const result = await indexChangedFiles(context, project, [path]);
  if (result.state === 'aborted' || result.failed > 0) throw new RpcError('INTERNAL_ERROR', `${path} could not be indexed again: ${result.error ?? 'see the log'}`);
  const state = result.indexed > 0 ? 'indexed' : result.removed > 0 ? 'removed' : result.unchanged > 0 ? 'unchanged' : 'absent';
  return { state, symbols: result.symbols };
}
