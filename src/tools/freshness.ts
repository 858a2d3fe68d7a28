import { join } from 'node:path';
import { indexSingleFile, type SingleFileOutcome } from '../analysis/changed-files.ts';
import type { FileRecord, Project } from '../db/code-database.ts';
import type { CodeTools } from './context.ts';

/** Whether the file on disk is no longer what the index holds, judged as the indexer does (size and mtime). */
async function changedOnDisk(tools: CodeTools, project: Project, file: Pick<FileRecord, 'path' | 'size' | 'mtime_ms'>): Promise<boolean> {
  const info = await tools.fs.stat(join(project.root, file.path));
  return !info?.isFile || info.size !== file.size || Math.trunc(info.mtimeMs) !== file.mtime_ms;
}

/** Index one file of a project now, through the connection that writes the index. */
export function reindexFile(tools: CodeTools, project: Project, path: string): Promise<SingleFileOutcome> {
  return indexSingleFile({ fs: tools.fs, code: tools.writer, parser: tools.files, logger: tools.logger, excludeDirs: tools.excludeDirs }, project, path);
}

type Indexed = { project: Project; file: Pick<FileRecord, 'path' | 'size' | 'mtime_ms'> };

/**
 * Before answering from the index about these files: re-index those that changed on disk
 * since they were indexed, so the answer matches the files. Returns the paths re-indexed.
 */
export async function freshen(tools: CodeTools, files: Indexed[]): Promise<string[]> {
  const changed = await Promise.all(files.map(({ project, file }) => changedOnDisk(tools, project, file)));
  const reindexed: string[] = [];
  for (const [index, { project, file }] of files.entries()) {
    if (!changed[index]) continue;
    const outcome = await reindexFile(tools, project, file.path);
    if (outcome.state === 'indexed' || outcome.state === 'removed') reindexed.push(file.path);
  }
  return reindexed;
}
