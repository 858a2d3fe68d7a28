import { join } from 'node:path';
import { indexChangedFiles } from '../analysis/changed-files.ts';
import { type ScanProgress, projectName, scanProject } from '../analysis/indexer.ts';
import { indexingParser } from '../analysis/parse-pool.ts';
import { projectPath } from '../analysis/source-walker.ts';
import { CodeDatabase } from '../db/code-database.ts';
import { SourceWatchers } from './source-watchers.ts';
import type { WorkerContext, WorkerDefinition } from './types.ts';

/** After a scan cut short by a lost driver, try again this soon rather than a whole interval later. */
const RETRY_MS = 1_000;
/** File events come in bursts (an editor saving, a checkout): wait for the burst to end. */
export const SETTLE_MS = 300;
/** More changed files than this in one burst (a checkout, a build): walk the whole project instead. */
const MAX_CHANGED_FILES = 500;

/**
 * The indexer worker: every watched directory is a project. Scans each at start, again
 * every scan_interval_ms, and soon after the file system reports a change; reports each
 * project's progress for /status.
 */
const indexer: WorkerDefinition = {
  async start(context: WorkerContext) {
    const { runtime, logger } = context;
    const settings = context.config.workers.indexer;
    const parser = indexingParser(runtime);
    const progress = new Map<string, ScanProgress | { root: string; state: 'waiting' }>();
    for (const root of settings.watch_dirs) progress.set(root, { root, state: 'waiting' });
    const report = () => context.report({ projects: [...progress.values()], ...watchers.stats() });
    let code: CodeDatabase | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running: Promise<void> = Promise.resolve();
    const dirty = new Set<string>(settings.watch_dirs);
    // The files events named since the last scan of each root; 'all' when only a full scan will do.
    const changedPaths = new Map<string, Set<string> | 'all'>(settings.watch_dirs.map((root) => [root, 'all']));
    const noteChange = (root: string, path: string | null) => {
      const paths = changedPaths.get(root) ?? new Set<string>();
      const relative = path === null ? null : projectPath(root, path);
      // An event on the root itself names no file: what changed is found by walking.
      if (paths === 'all' || relative === null || relative === '' || relative.startsWith('..') || paths.size >= MAX_CHANGED_FILES) changedPaths.set(root, 'all');
      else changedPaths.set(root, paths.add(relative));
    };
    // Set by a file event; a scan already running may have missed the change.
    let changedDuringScan = false;
    /** A root is watched once it exists, again when it comes back, and again after its watch failed. */
    const watchers = new SourceWatchers({
      fs: runtime.fs,
      logger,
      // The server's own files (database, logs) may live inside a watched tree: their
      // writes are not source changes, and reacting to them would rescan forever.
      ignoredDir: context.config.data_dir,
      onChange(root, path) {
        noteChange(root, path);
        dirty.add(root);
        changedDuringScan = true;
        schedule(SETTLE_MS);
      },
      onFailure(root, retryInMs) {
        // Changes may have been missed: the scan that re-arms the watch looks at the whole project.
        changedPaths.set(root, 'all');
        dirty.add(root);
        report();
        schedule(retryInMs);
      },
    });

    const scanAll = async () => {
      let retry = false;
      /** An update that found it must walk the whole project (a new folder, a name it cannot read): at once. */
      let walkNow = false;
      code ??= await CodeDatabase.open(context.db);
      for (const root of [...dirty]) {
        if (stopped) return;
        dirty.delete(root);
        if (!(await runtime.fs.stat(root))?.isDirectory) {
          watchers.unwatch(root);
          progress.set(root, { root, state: 'waiting' });
          report();
          logger.warn(`watch dir ${root} is not a directory; looking again next scan`);
          continue;
        }
        watchers.watch(root);
        const project = await code.ensureProject(root, projectName(root));
        const indexer = { fs: runtime.fs, code, parser, logger, excludeDirs: [context.config.data_dir] };
        const paths = changedPaths.get(root) ?? 'all';
        changedPaths.delete(root);
        // Files the events named are updated alone (a changed file is searchable at once); otherwise the whole project is walked.
        let result: ScanProgress;
        if (paths !== 'all') {
          const update = await indexChangedFiles(indexer, project, [...paths]);
          if (update.needs_scan) {
            changedPaths.set(root, 'all');
            dirty.add(root);
            walkNow = true;
          }
          result = update;
        } else {
          result = await scanProject(indexer, project, (current) => {
            progress.set(root, current);
            report();
          }, () => stopped);
        }
        if (result.state === 'aborted') {
          if (paths !== 'all') for (const path of paths) noteChange(root, join(root, path));
          dirty.add(root);
          retry = !stopped;
        } else {
          progress.set(root, result);
          report();
          logger.info(`${root}: ${result.indexed} indexed, ${result.unchanged} unchanged, ${result.removed} removed, ${result.failed} failed`);
        }
      }
      return retry ? RETRY_MS : walkNow ? 0 : undefined;
    };

    /** When the periodic scan of every project is due (0: none planned). */
    let fullScanDueAt = 0;
    /** Scan what is dirty after `delayMs`; a `periodic` scan looks at every project, events or not. */
    const schedule = (delayMs: number, periodic = false) => {
      if (stopped) return;
      clearTimeout(timer);
      if (periodic && fullScanDueAt === 0) fullScanDueAt = Date.now() + delayMs;
      timer = setTimeout(() => {
        // Every project is marked once the periodic scan is due, not when it is planned: a
        // scan an event brings before then updates only the files it names (the periodic
        // one is not pushed back by events either).
        if (fullScanDueAt !== 0 && Date.now() >= fullScanDueAt) {
          fullScanDueAt = 0;
          for (const root of settings.watch_dirs) {
            dirty.add(root);
            changedPaths.set(root, 'all');
          }
        }
        running = running.then(async () => {
          changedDuringScan = false;
          let next: number | undefined;
          try {
            next = await scanAll();
          } catch (error) {
            logger.warn(`scan failed (will try again): ${(error as Error).message}`);
            next = RETRY_MS;
          }
          if (next === undefined && changedDuringScan) next = SETTLE_MS;
          if (next !== undefined) schedule(next);
          else schedule(fullScanDueAt === 0 ? settings.scan_interval_ms : Math.max(0, fullScanDueAt - Date.now()), true);
        });
      }, delayMs);
    };

    report();
    schedule(0);
    // The code tools' `reindex` of a watched project asks for a rescan now with SIGHUP.
    const stopHangup = runtime.onSignal('SIGHUP', () => {
      for (const root of settings.watch_dirs) {
        dirty.add(root);
        changedPaths.set(root, 'all');
      }
      schedule(0);
    });
    return {
      async stop() {
        stopHangup();
        stopped = true;
        clearTimeout(timer);
        watchers.unwatchAll();
        await running;
        await parser.close();
      },
    };
  },
};

export default indexer;
