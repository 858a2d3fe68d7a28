import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createConsola } from 'consola';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { runPaths } from '../../src/config/run-paths.ts';
import { type Config, ConfigSchema, type MaintenanceConfig } from '../../src/config/schema.ts';
import { connectDatabase } from '../../src/db/connect.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import maintenance from '../../src/workers/maintenance.ts';
import type { RunningWorker } from '../../src/workers/types.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { startInProcessDriver } from '../helpers/driver.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { isSettled, waitFor } from '../helpers/wait-for.ts';

interface Report {
  last_backup: { path: string; bytes: number; at: string } | null;
  backups: number;
  last_optimize_at: string | null;
  last_checkpoint: { busy: number; log_frames: number; checkpointed_frames: number; at: string } | null;
  errors: number;
  last_error: { task: string; message: string } | null;
}

const events = { name: 'events', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] };
const FAST: MaintenanceConfig = { enabled: true, backup_interval_ms: 50, backup_keep: 2, optimize_interval_ms: 50, checkpoint_interval_ms: 50 };

function configFor(dataDir: string, settings: MaintenanceConfig): Config {
  const defaults = JSON.parse(readFileSync(join(REPO_ROOT, 'config/default.json'), 'utf8')) as Config;
  return v.parse(ConfigSchema, { ...defaults, data_dir: dataDir, workers: { ...defaults.workers, maintenance: settings } });
}

/** A driver on `dir` whose backup directory is the one the worker's paths name. */
function startDriver(dir: string) {
  return startInProcessDriver({ dir, settings: { backupDir: runPaths({ data_dir: dir }).backupsDir } });
}

/** The worker on a real driver socket, with its reports and log lines collected. */
async function startWorker(dir: string, socketPath: string, settings: MaintenanceConfig = FAST) {
  const reports: Report[] = [];
  const logs: Array<{ type: string; text: string }> = [];
  const logger = createConsola({
    level: 4,
    reporters: [{ log: (entry) => logs.push({ type: entry.type, text: entry.args.map(String).join(' ') }) }],
  });
  const db = connectDatabase(nodeRuntime, { socketPath, poolSize: 1, timeoutMs: 500 });
  const config = configFor(dir, settings);
  const worker: RunningWorker = await maintenance.start({
    runtime: nodeRuntime,
    logger,
    config,
    paths: runPaths(config),
    db,
    report: (details) => reports.push(details as unknown as Report),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await worker.stop();
  };
  deferCleanup(async () => {
    await stop();
    db.close();
  });
  const latest = () => reports.at(-1)!;
  /** Every backup reported so far, in the order they were made. */
  const made = () => [...new Set(reports.flatMap((report) => (report.last_backup ? [report.last_backup.path] : [])))];
  return { reports, logs, latest, made, stop, backupsDir: runPaths(config).backupsDir };
}

function rowsIn(path: string): { integrity: string; rows: number } {
  const copy = new Database(path, { readonly: true });
  try {
    return {
      integrity: (copy.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check,
      rows: (copy.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n,
    };
  } finally {
    copy.close();
  }
}

describe('the maintenance worker', () => {
  it('backs up right away and then every interval, keeps backup_keep files named in time order, and the copies restore', async () => {
    const dir = await makeTempDir();
    const driver = await startDriver(dir);
    const db = driver.client();
    await db.createTable(events);
    await db.insertMany('events', Array.from({ length: 30 }, (_, i) => ({ label: `before ${i}` })));

    const worker = await startWorker(dir, driver.socketPath);
    const first = await waitFor(() => worker.latest().last_backup, { message: 'the first backup' });
    expect(basename(first.path)).toMatch(/^code_analysis-\d{8}T\d{6}Z\.db$/);
    expect(rowsIn(first.path)).toEqual({ integrity: 'ok', rows: 30 });

    // Writes go on while backups are taken.
    let acknowledged = 0;
    let writing = true;
    const writer = driver.client({ poolSize: 1 });
    const inserting = (async () => {
      while (writing) {
        await writer.insert('events', { label: `during ${acknowledged}` });
        acknowledged++;
      }
    })();
    await waitFor(() => worker.made().length >= 3 && acknowledged > 0, { message: 'backups during writes' });
    writing = false;
    await inserting;
    // The run under way when writing stopped may predate the last write; the one after it cannot.
    const settled = worker.made().length;
    await waitFor(() => worker.made().length >= settled + 2, { message: 'two more backups' });
    await worker.stop();

    const made = worker.made();
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
    const onDisk = readdirSync(worker.backupsDir).sort();
    expect(onDisk).toEqual(made.slice(-2).map((path) => basename(path)));
    expect(worker.latest().backups).toBe(2);
    expect(rowsIn(made.at(-1)!)).toEqual({ integrity: 'ok', rows: 30 + acknowledged });
    expect(rowsIn(made.at(-2)!).integrity).toBe('ok');
    expect(worker.latest().errors).toBe(0);
    expect(worker.latest().last_backup!.bytes).toBeGreaterThan(0);
    expect(worker.logs.some((line) => line.type === 'info' && line.text.includes(made.at(-1)!))).toBe(true);
  });

  it('optimizes and checkpoints at low priority on their own intervals', async () => {
    const dir = await makeTempDir();
    const driver = await startDriver(dir);
    const observer = driver.client();
    await observer.createTable(events);
    await observer.insert('events', { label: 'x' });
    const worker = await startWorker(dir, driver.socketPath, { ...FAST, backup_interval_ms: 3_600_000 });
    // The first backup runs on a reader of the driver, beside optimize and checkpoint: wait for all three.
    await waitFor(() => worker.latest().last_optimize_at && worker.latest().last_checkpoint && worker.latest().last_backup, {
      message: 'the first backup, optimize and checkpoint',
    });
    const checkpoint = worker.latest().last_checkpoint!;
    expect(checkpoint.busy).toBe(0);
    expect(checkpoint.log_frames).toBeGreaterThanOrEqual(checkpoint.checkpointed_frames);
    expect(Date.parse(worker.latest().last_optimize_at!)).not.toBeNaN();
    const stats = (await observer.stats()) as { queue: { clients: Record<string, { done: number }> }; methods: Record<string, { count: number }> };
    expect(stats.methods.optimize!.count).toBeGreaterThanOrEqual(1);
    expect(stats.methods.checkpoint!.count).toBeGreaterThanOrEqual(1);
    // Only the first backup: the next is an hour away.
    expect(stats.methods.backup!.count).toBe(1);
  });

  it('counts errors while the driver is down, keeps running, and backs up again once it is back', async () => {
    const dir = await makeTempDir();
    const driver = await startDriver(dir);
    await driver.client().createTable(events);
    const worker = await startWorker(dir, driver.socketPath);
    await waitFor(() => worker.latest().last_backup, { message: 'a first backup' });
    expect(worker.latest().errors).toBe(0);

    await driver.stop();
    const down = await waitFor(() => (worker.latest().errors >= 3 ? worker.latest() : undefined), { message: 'errors while the driver is down' });
    expect(down.last_error).toMatchObject({ task: expect.stringMatching(/backup|optimize|checkpoint/) });
    expect(worker.logs.some((line) => line.type === 'warn' && line.text.includes('failed'))).toBe(true);
    const madeWhileDown = worker.made().length;

    const again = await startDriver(dir);
    await waitFor(() => worker.made().length > madeWhileDown, { message: 'a backup after the driver came back' });
    const recovered = worker.latest().last_backup!;
    expect(rowsIn(recovered.path).integrity).toBe('ok');
    expect(readdirSync(worker.backupsDir).filter((name) => name.endsWith('.partial'))).toEqual([]);
    await worker.stop();
    await again.stop();
  });

  it('stop() waits for the backup in progress, which then completes', async () => {
    const dir = await makeTempDir();
    const driver = await startDriver(dir);
    const owner = driver.rpc({ poolSize: 1 });
    const observer = driver.client();
    // An open transaction holds the backup in the queue.
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    const worker = await startWorker(dir, driver.socketPath, { ...FAST, backup_interval_ms: 3_600_000 });
    await waitFor(async () => ((await observer.stats()) as { queue: { depth: { low: number } } }).queue.depth.low >= 1, {
      message: 'the backup waiting in the queue at low priority',
    });
    const stopping = worker.stop();
    expect(await isSettled(stopping)).toBe(false);
    await owner.call('commit_transaction', { transaction_id });
    await stopping;
    const files = readdirSync(worker.backupsDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^code_analysis-\d{8}T\d{6}Z\.db$/);
    expect(worker.latest().last_backup?.path).toBe(join(worker.backupsDir, files[0]!));
  });
});
