import { join } from 'node:path';
import type { FileSystem } from '../runtime/types.ts';

/**
 * Names and retention of the maintenance worker's backups. Only files that match its own
 * naming are ever touched, so other files in the directory (schema-sync backups, a copy an
 * operator put there) are left alone.
 */

/** Written under this suffix and renamed when complete, so a crash never leaves a file that looks whole. */
export const PARTIAL_SUFFIX = '.partial';

const BACKUP_NAME = /^code_analysis-\d{8}T\d{6}Z\.db$/;

/** `code_analysis-<UTC yyyymmddThhmmssZ>.db`: names sort by time. */
export function backupFileName(at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `code_analysis-${stamp}.db`;
}

export interface PruneResult {
  /** Complete backups left, oldest first. */
  kept: string[];
  removed: string[];
}

/**
 * Keep the newest `keep` complete backups; delete older ones and leftover partial files.
 * Called only between backups of one worker, so no partial file is being written then: the
 * driver runs one backup at a time, and ours has finished.
 */
export async function pruneBackups(fs: Pick<FileSystem, 'readDir' | 'rm'>, dir: string, keep: number): Promise<PruneResult> {
  const names = await fs.readDir(dir);
  const complete = names.filter((name) => BACKUP_NAME.test(name)).sort();
  const partial = names.filter((name) => name.endsWith(PARTIAL_SUFFIX) && BACKUP_NAME.test(name.slice(0, -PARTIAL_SUFFIX.length)));
  const expired = complete.slice(0, Math.max(0, complete.length - keep));
  const removed = [...expired, ...partial];
  for (const name of removed) await fs.rm(join(dir, name));
  return { kept: complete.slice(expired.length), removed };
}
