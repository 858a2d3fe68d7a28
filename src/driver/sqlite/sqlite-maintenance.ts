import { join } from 'node:path';
import { RpcError } from '../../ipc/errors.ts';
import type { BackupInput, CheckpointInput } from '../params.ts';
import type { BackupLocation, BackupResult, CheckpointResult } from '../types.ts';
import type { SqliteEngine } from './engine.ts';

/**
 * Online backup, `PRAGMA optimize` and WAL checkpoints on the writer connection. The queue
 * runs them like writes, so no transaction is open on that connection when they start.
 */

/** `VACUUM INTO` a new file of the backup directory: a consistent copy while others keep writing. */
export async function backupInto(engine: SqliteEngine, location: BackupLocation | undefined, input: BackupInput): Promise<BackupResult> {
  if (!location) throw new RpcError('INVALID_REQUEST', 'this driver has no backup directory configured');
  const path = join(location.dir, input.file_name);
  await location.fs.mkdir(location.dir, { recursive: true });
  if (await location.fs.exists(path)) {
    throw new RpcError('VALIDATION_ERROR', `file_name: "${input.file_name}" already exists in ${location.dir}; backups never overwrite`, {
      field: 'file_name',
      path,
    });
  }
  const started = performance.now();
  engine.run('VACUUM INTO ?', [path]);
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
