import { join } from 'node:path';
import type { CallOptions } from '../ipc/rpc-client.ts';
import type { CheckpointResult } from '../driver/types.ts';
import { backupFileName, PARTIAL_SUFFIX, pruneBackups } from './backup-retention.ts';
import { repeat } from './repeat.ts';
import type { WorkerContext, WorkerDefinition } from './types.ts';

/** A backup of a large database may take minutes; it must not be cut off like a query. */
const BACKUP_TIMEOUT_MS = 10 * 60_000;
const LOW: CallOptions = { priority: 'low' };

interface MaintenanceReport {
  last_backup: { path: string; bytes: number; at: string } | null;
  /** Complete backups kept in the directory after the last backup. */
  backups: number;
  last_optimize_at: string | null;
  last_checkpoint: (CheckpointResult & { at: string }) | null;
  errors: number;
  last_error: { task: string; message: string; at: string } | null;
}

/**
 * The maintenance worker: through the driver, an online backup every backup_interval_ms
 * (the first right after start) with retention, `PRAGMA optimize` every
 * optimize_interval_ms and a passive WAL checkpoint every checkpoint_interval_ms. All at
 * low priority; a failed run is logged and counted, and the next one tries again.
 */
const maintenance: WorkerDefinition = {
  async start(context: WorkerContext) {
    const { db, logger, runtime } = context;
    const settings = context.config.workers.maintenance;
    const dir = context.paths.backupsDir;
    const state: MaintenanceReport = {
      last_backup: null,
      backups: 0,
      last_optimize_at: null,
      last_checkpoint: null,
      errors: 0,
      last_error: null,
    };
    let lastSecond = -Infinity;

    const attempt = (task: string, work: () => Promise<void>) => async () => {
      try {
        await work();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        state.errors++;
        state.last_error = { task, message, at: new Date().toISOString() };
        logger.warn(`${task} failed (will try again next interval): ${message}`);
      }
      context.report({ ...state });
    };

    const backup = attempt('backup', async () => {
      // Names have one-second resolution: never reuse the previous one.
      const now = Date.now();
      const at = new Date(Math.floor(now / 1000) > lastSecond ? now : (lastSecond + 1) * 1000);
      lastSecond = Math.floor(at.getTime() / 1000);
      const name = backupFileName(at);
      const result = await db.backup(`${name}${PARTIAL_SUFFIX}`, { ...LOW, timeoutMs: BACKUP_TIMEOUT_MS });
      const path = join(dir, name);
      await runtime.fs.rename(result.path, path);
      const { kept, removed } = await pruneBackups(runtime.fs, dir, settings.backup_keep);
      state.last_backup = { path, bytes: result.bytes, at: at.toISOString() };
      state.backups = kept.length;
      logger.info(`backup ${path}: ${result.bytes} bytes in ${Math.round(result.duration_ms)} ms${removed.length ? `; removed ${removed.join(', ')}` : ''}`);
    });
    const optimize = attempt('optimize', async () => {
      await db.optimize(LOW);
      state.last_optimize_at = new Date().toISOString();
      logger.debug('optimize done');
    });
    const checkpoint = attempt('checkpoint', async () => {
      const result = await db.checkpoint('passive', LOW);
      state.last_checkpoint = { ...result, at: new Date().toISOString() };
      logger.debug(`checkpoint: ${result.checkpointed_frames} of ${result.log_frames} frames`);
    });

    context.report({ ...state });
    const tasks = [
      // The next backup waits at least until the next second, so its name is new.
      repeat(backup, { firstDelayMs: 0, nextDelayMs: () => Math.max(settings.backup_interval_ms, 1000 - (Date.now() % 1000)) }),
      repeat(optimize, { firstDelayMs: settings.optimize_interval_ms, nextDelayMs: () => settings.optimize_interval_ms }),
      repeat(checkpoint, { firstDelayMs: settings.checkpoint_interval_ms, nextDelayMs: () => settings.checkpoint_interval_ms }),
    ];
    return {
      async stop() {
        await Promise.all(tasks.map((task) => task.stop()));
      },
    };
  },
};

export default maintenance;
