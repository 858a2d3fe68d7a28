import { join } from 'node:path';
import { RpcError } from '../../ipc/errors.ts';
import type { BackupInput, CheckpointInput } from '../params.ts';
import type { BackupFiles, BackupLocation, BackupResult, CheckpointResult } from '../types.ts';
import type { SqliteEngine } from './engine.ts';

/**
 * Online backup (on a reader connection: writers go on meanwhile), `PRAGMA optimize` and
 * WAL checkpoints (on the writer connection, run like writes: no transaction is open).
 */

/**
 * `VACUUM INTO` `path`: a consistent copy while others keep writing. The copy is written
 * under a temporary name and renamed when complete, so a failed backup (a full disk, a
 * deadline) leaves no partial or empty file behind.
 */
export async function vacuumInto(engine: SqliteEngine, fs: BackupFiles, path: string): Promise<void> {
  const partial = `${path}.partial-${crypto.randomUUID().slice(0, 8)}`;
  try {
    engine.run('VACUUM INTO ?', [partial]);
    await fs.rename(partial, path);
  } catch (error) {
    await fs.rm(partial).catch(() => undefined);
    throw error;
  }
}

/** A new file of the backup directory, never overwriting one. */
export async function backupInto(engine: SqliteEngine, location: BackupLocation | undefined, input: BackupInput): Promise<BackupResult> {
  if (!location) throw new RpcError('INVALID_REQUEST', 'this driver has no backup directory configured');
  const path = join(location.dir, input.file_name);
  try {
    await location.fs.mkdir(location.dir, { recursive: true });
  } catch (error) {
    throw new RpcError('INTERNAL_ERROR', `cannot create the backup directory ${location.dir}: ${(error as Error).message}`, { path: location.dir }, { cause: error });
  }
  if (await location.fs.exists(path)) {
    throw new RpcError('VALIDATION_ERROR', `file_name: "${input.file_name}" already exists in ${location.dir}; backups never overwrite`, {
      field: 'file_name',
      path,
    });
  }
  const started = performance.now();
  await vacuumInto(engine, location.fs, path);
  const duration = performance.now() - started;
  const info = await location.fs.stat(path);
  return { path, bytes: info?.size ?? 0, duration_ms: Math.round(duration * 1000) / 1000 };
}

export function optimize(engine: SqliteEngine): { success: true } {
  engine.exec('PRAGMA optimize');
  return { success: true };
}

export function checkpoint(engine: SqliteEngine, input: CheckpointInput): CheckpointResult {
  // The mode comes from a picklist, so it is safe to put in the statement.
  const [row] = engine.all(`PRAGMA wal_checkpoint(${input.mode.toUpperCase()})`) as Array<{ busy: bigint; log: bigint; checkpointed: bigint }>;
  return { busy: Number(row!.busy), log_frames: Number(row!.log), checkpointed_frames: Number(row!.checkpointed) };
}
