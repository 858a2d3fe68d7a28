import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/runtime/logger.ts';
import { loadConfig } from '../../src/config/load.ts';
import { runPaths } from '../../src/config/run-paths.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { ChildEvent } from '../../src/ipc/child-events.ts';
import { runWorker } from '../../src/workers/launcher.ts';
import { startInProcessDriver } from '../helpers/driver.ts';
import { testConfig } from '../helpers/serve.ts';
import { waitFor } from '../helpers/wait-for.ts';

const logger = createLogger(nodeRuntime, { level: 'silent' });

async function setup(overrides: Record<string, unknown> = {}) {
  const driver = await startInProcessDriver();
  const file = join(driver.dir, 'code-analysis.json');
  await writeFile(file, JSON.stringify(testConfig({ data_dir: driver.dir, ...overrides })));
  const { config } = await loadConfig(nodeRuntime, { configPath: file });
  return { driver, config, paths: runPaths(config) };
}

describe('the worker launcher', () => {
  it('claims the PID file, reports ready, beats, forwards progress, and on shutdown stops the kind and lets go', async () => {
    const { driver, config, paths } = await setup({ workers: { maintenance: { backup_interval_ms: 3_600_000 } } });
    const events: ChildEvent[] = [];
    let stop!: () => void;
    const shutdown = new Promise<void>((resolve) => (stop = resolve));
    const pidFile = paths.pidFile('worker-maintenance');
    const running = runWorker(nodeRuntime, logger, {
      kind: 'maintenance',
      config,
      paths,
      socketPath: driver.socketPath,
      pidFile,
      shutdown,
      emit: (event) => events.push(event),
    });
    await waitFor(() => events.some((event) => event.event === 'ready'), { message: 'ready event' });
    expect((await nodeRuntime.fs.readText(pidFile)).trim()).toBe(String(process.pid));
    await waitFor(() => events.filter((event) => event.event === 'heartbeat').length >= 2, { message: 'two heartbeats' });
    await waitFor(() => events.some((event) => event.event === 'progress' && event.details?.last_backup), {
      message: 'a progress report with the first backup',
    });
    stop();
    await running;
    expect(await nodeRuntime.fs.exists(pidFile)).toBe(false);
  });

  it('refuses an unknown kind, naming the known ones', async () => {
    const { driver, config, paths } = await setup();
    await expect(
      runWorker(nodeRuntime, logger, { kind: 'translator', config, paths, socketPath: driver.socketPath, pidFile: paths.pidFile('x') }),
    ).rejects.toThrow('unknown worker kind "translator" (known: maintenance, indexer, vectorizer)');
  });

  it('refuses to start when a live process holds its PID file', async () => {
    const { driver, config, paths } = await setup();
    const pidFile = paths.pidFile('worker-maintenance');
    const holder = nodeRuntime.spawn([process.execPath, '-e', 'setTimeout(() => {}, 60000)']);
    try {
      await nodeRuntime.fs.mkdir(paths.runDir, { recursive: true });
      await nodeRuntime.fs.writeFileAtomic(pidFile, `${holder.pid}\n`);
      await expect(
        runWorker(nodeRuntime, logger, { kind: 'maintenance', config, paths, socketPath: driver.socketPath, pidFile }),
      ).rejects.toThrow(`worker maintenance is already running, pid ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
      await holder.exited;
    }
  });
});
