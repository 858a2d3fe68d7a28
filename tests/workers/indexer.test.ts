import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/runtime/logger.ts';
import { loadConfig } from '../../src/config/load.ts';
import { runPaths } from '../../src/config/run-paths.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { ChildEvent } from '../../src/ipc/child-events.ts';
import { runWorker } from '../../src/workers/launcher.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { startInProcessDriver, OWNER } from '../helpers/driver.ts';
import { openTestCodeIndex } from '../helpers/indexed-project.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { testConfig } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

const logger = createLogger(nodeRuntime, { level: 'silent' });

interface ProjectReport {
  root: string;
  state: string;
  indexed?: number;
  unchanged?: number;
  seen?: number;
}

/** The indexer worker in-process (through the one launcher) on a real driver, watching `watchDirs`. */
async function startIndexer(watchDirs: string[], scanIntervalMs: number) {
  const driver = await startInProcessDriver();
  const dir = driver.dir;
  const db = driver.client(OWNER);
  const code = await openTestCodeIndex(db);
  const file = join(driver.dir, 'code-analysis.json');
  await writeFile(
    file,
    JSON.stringify(testConfig({ data_dir: driver.dir, queue: { timeout_ms: 2_000 }, workers: { indexer: { enabled: true, watch_dirs: watchDirs, scan_interval_ms: scanIntervalMs } } })),
  );
  const { config } = await loadConfig(nodeRuntime, { configPath: file });
  const paths = runPaths(config);
  const events: ChildEvent[] = [];
  let stop!: () => void;
  const shutdown = new Promise<void>((resolve) => (stop = resolve));
  const running = runWorker(nodeRuntime, logger, {
    kind: 'indexer',
    config,
    paths,
    socketPath: driver.socketPath,
    pidFile: paths.pidFile('worker-indexer'),
    shutdown,
    emit: (event) => events.push(event),
  });
  const stopWorker = async () => {
    stop();
    await running;
  };
  deferCleanup(stopWorker);
  /** The latest report about one root. */
  const latest = (root: string): ProjectReport | undefined => {
    for (let index = events.length - 1; index >= 0; index--) {
      const event = events[index]!;
      const projects = event.event === 'progress' ? (event.details?.projects as ProjectReport[] | undefined) : undefined;
      const found = projects?.find((project) => project.root === root);
      if (found) return found;
    }
    return undefined;
  };
  const pathsOf = async (root: string) => {
    const project = await code.projectByRoot(root);
    return project ? (await code.files(project.id)).map((entry) => entry.path) : [];
  };
  return { driver, dir, code, events, latest, pathsOf, stop: stopWorker };
}

async function copyProject(name: string): Promise<string> {
  const root = join(await makeTempDir(), name);
  await cp(join(REPO_ROOT, 'test_data', 'projects', name), root, { recursive: true });
  return root;
}

describe('the indexer worker', () => {
  it('scans every watch dir at start and reports each one\'s progress', async () => {
    const py = await copyProject('py-sample');
    const ts = await copyProject('ts-sample');
    const worker = await startIndexer([py, ts], 3_600_000);
    await waitFor(() => worker.events.some((event) => event.event === 'ready'), { message: 'ready' });
    expect(worker.latest(py)).toBeDefined();
    await waitFor(() => worker.latest(py)?.state === 'done' && worker.latest(ts)?.state === 'done', { message: 'both projects scanned' });
    expect(worker.latest(py)).toMatchObject({ seen: 4, indexed: 4 });
    expect(await worker.pathsOf(py)).toEqual(['sample/__init__.py', 'sample/broken.py', 'sample/shapes.py', 'sample/util.py']);
    expect((await worker.pathsOf(ts)).length).toBe(worker.latest(ts)!.indexed);
    expect((await worker.code.projects()).map((project) => project.name).sort()).toEqual(['py-sample', 'ts-sample']);
  });

  it('indexes a new, an edited and a deleted file on the file event, without waiting for the interval', async () => {
    const root = await copyProject('py-sample');
    const worker = await startIndexer([root], 3_600_000);
    await waitFor(() => worker.latest(root)?.state === 'done', { message: 'first scan' });

    await writeFile(join(root, 'sample', 'fresh.py'), 'def fresh_function():\n    """Just written."""\n');
    await waitFor(async () => (await worker.pathsOf(root)).includes('sample/fresh.py'), { message: 'the new file indexed' });
    expect((await worker.code.search('fresh_function')).map((hit) => hit.path)).toEqual(['sample/fresh.py']);
    // The file the event named, alone: not a walk of the whole project (which would find the other four unchanged).
    const update = await waitFor(() => (worker.latest(root)?.state === 'done' && worker.latest(root)?.indexed === 1 ? worker.latest(root) : undefined), { message: 'the update reported' });
    expect(update).toMatchObject({ indexed: 1, unchanged: 0 });

    await writeFile(join(root, 'sample', 'fresh.py'), 'class Renamed:\n    pass\n');
    await waitFor(async () => (await worker.code.search('Renamed')).length === 1, { message: 'the edit indexed' });
    expect(await worker.code.search('fresh_function')).toEqual([]);

    await rm(join(root, 'sample', 'fresh.py'));
    await waitFor(async () => !(await worker.pathsOf(root)).includes('sample/fresh.py'), { message: 'the deleted file removed' });
    expect(await worker.code.search('Renamed')).toEqual([]);
  });

  it('reports a watch dir that does not exist yet and picks it up once it appears', async () => {
    const parent = await makeTempDir();
    const later = join(parent, 'later');
    const present = await copyProject('py-sample');
    const worker = await startIndexer([later, present], 200);
    await waitFor(() => worker.latest(present)?.state === 'done', { message: 'the present dir scanned' });
    expect(worker.latest(later)).toEqual({ root: later, state: 'waiting' });
    expect(await worker.code.projectByRoot(later)).toBeNull();

    await mkdir(join(later, 'pkg'), { recursive: true });
    await writeFile(join(later, 'pkg', 'late.py'), 'def late():\n    pass\n');
    await waitFor(() => worker.latest(later)?.state === 'done', { message: 'the new dir scanned' });
    expect(await worker.pathsOf(later)).toEqual(['pkg/late.py']);

    await rm(later, { recursive: true });
    await waitFor(() => worker.latest(later)?.state === 'waiting', { message: 'the vanished dir reported again' });
    await worker.stop();
  });

  it('reports a scan cut short by a lost driver as aborted and finishes it once the driver is back', async () => {
    const root = await makeTempDir();
    for (let n = 0; n < 300; n++) {
      await mkdir(join(root, `pkg${n % 6}`), { recursive: true });
      await writeFile(join(root, `pkg${n % 6}`, `m${n}.py`), `class K${n}:\n    def run(self):\n        return ${n}\n`);
    }
    const worker = await startIndexer([root], 3_600_000);
    await waitFor(() => (worker.latest(root)?.seen ?? 0) >= 25, { message: 'the scan under way' });
    await worker.driver.stop();
    await waitFor(() => worker.latest(root)?.state === 'aborted', { message: 'the scan reported aborted' });

    const restarted = await startInProcessDriver({ dir: worker.dir });
    await waitFor(() => worker.latest(root)?.state === 'done', { timeoutMs: 30_000, message: 'the scan finished after the restart' });
    const code = await openTestCodeIndex(restarted.client(OWNER));
    const project = (await code.projectByRoot(root))!;
    expect((await code.files(project.id)).length).toBe(300);
    expect((await code.stats(project.id)).symbols).toEqual({ class: 300, method: 300 });
  });
});
