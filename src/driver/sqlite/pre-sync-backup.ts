import { resolve } from 'node:path';
import { RpcError } from '../../ipc/errors.ts';
import type { BackupLocation } from '../types.ts';
import type { SqliteEngine } from './engine.ts';
import { vacuumInto } from './sqlite-maintenance.ts';

/** Where a sync writes its backup: `backup_dir` of the request or the driver's backup directory, and the file operations. */
export interface SyncBackupDir {
  dir: string;
  fs: BackupLocation['fs'];
}

/** `pre-sync-<version>-<UTC stamp>.db`, the version made safe for a file name. */
export function preSyncFileName(version: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `pre-sync-${version.replace(/[^A-Za-z0-9._-]/g, '_')}-${stamp}.db`;
}

/**
 * An online copy of the database as it is before the sync (`VACUUM INTO`, which never
 * overwrites a file), taken on the writer before the sync's transaction begins.
 */
export async function backupBeforeSync(engine: SqliteEngine, location: SyncBackupDir | undefined, version: string, changes: string): Promise<string> {
  if (!location) {
    throw new RpcError(
      'SCHEMA_ERROR',
      `${changes} needs a backup first, and no backup directory is available (pass backup_dir or configure the driver's); nothing was changed`,
      { field: 'backup_dir' },
    );
  }
  const path = resolve(location.dir, preSyncFileName(version, new Date()));
  try {
    await location.fs.mkdir(location.dir, { recursive: true });
    await vacuumInto(engine, location.fs, path);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new RpcError('SCHEMA_ERROR', `cannot write the backup ${path} before the sync: ${cause}; nothing was changed`, { field: 'backup_dir', path }, { cause: error });
  }
  return path;
}
