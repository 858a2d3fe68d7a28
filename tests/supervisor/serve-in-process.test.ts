import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/runtime/logger.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { RunPaths } from '../../src/config/run-paths.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { readServeInfo } from '../../src/supervisor/serve-info.ts';
import { runServe } from '../../src/supervisor/serve.ts';
import type { SupervisorStatus } from '../../src/supervisor/types.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { BIN } from '../helpers/paths.ts';
import { testConfig } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const logger = createLogger(nodeRuntime, { level: 'silent' });

/** runServe inside the test process (children are real), so coverage sees the supervisor. */
async function serveInProcess(overrides: Record<string, unknown> = {}) {
  const dir = await makeTempDir();
  const file = join(dir, 'code-analysis.json');
  await writeFile(file, JSON.stringify(testConfig(overrides)));
  const { config } = await loadConfig({ ...nodeRuntime, cwd: () => dir }, { configPath: file });
  let stop!: () => void;
  const shutdown = new Promise<void>((resolve) => (stop = resolve));
  let listening!: (value: { url: string; paths: RunPaths }) => void;
  const ready = new Promise<{ url: string; paths: RunPaths }>((resolve) => (listening = resolve));
  const running = runServe(nodeRuntime, logger, config, {
    version: 'test',
    selfCommand: [process.execPath, BIN],
    shutdown,
    onListening: (url, paths) => listening({ url, paths }),
  });
  deferCleanup(async () => {
    stop();
    await running.catch(() => undefined);
  });
  return { config, running, ready, stop };
}

describe('runServe in process', () => {
  it('serves, publishes where it listens, and on shutdown stops everything and removes its files', async () => {
    const serve = await serveInProcess();
    const { url, paths } = await Promise.race([serve.ready, serve.running.then(() => Promise.reject(new Error('ended early')))]);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const status = (await (await fetch(`${url}/status`)).json()) as SupervisorStatus;
    expect(status).toMatchObject({ pid: process.pid, version: 'test', state: 'running', data_dir: paths.dataDir });
    expect(status.services.map((service) => [service.name, service.state])).toEqual([
      ['driver', 'running'],
      ['worker-maintenance', 'running'],
      ['http', 'running'],
    ]);
    expect(status.services[2]).toMatchObject({ pid: process.pid, details: { url } });
    expect(await readServeInfo(nodeRuntime, paths.serveInfo)).toMatchObject({ pid: process.pid, url, version: 'test' });

    const children = status.services.slice(0, 2).map((service) => service.pid!);
    serve.stop();
    await serve.running;
    for (const pid of children) expect(nodeRuntime.isPidAlive(pid)).toBe(false);
    expect(await readdir(paths.runDir)).toEqual([]);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('a driver that cannot start fails serve with the reason and the log, and leaves nothing behind', async () => {
    const dir = await makeTempDir();
    // The database file is not SQLite: the driver exits at start (a directory there is refused earlier, by the config).
    await writeFile(join(dir, 'blocked.db'), 'plain text where a database should be, longer than a SQLite header');
    const serve = await serveInProcess({ database: { path: join(dir, 'blocked.db') }, workers: { maintenance: { enabled: false } } });
    const error = await serve.running.then(
      () => null,
      (reason: Error) => reason,
    );
    expect(error?.message).toMatch(/^driver did not start: exited with code 1 before it was ready: file is not a database \(see .*driver\.log\)$/);
    const runDir = join(serve.config.data_dir, 'run');
    expect(await readdir(runDir)).toEqual([]);
  });

  it('refuses a non-loopback host without a token before starting anything', async () => {
    const serve = await serveInProcess({ server: { host: '0.0.0.0' } });
    await expect(serve.running).rejects.toThrow('server.host 0.0.0.0 is not a loopback address; set server.auth_token to expose the server');
    expect(await nodeRuntime.fs.exists(serve.config.data_dir)).toBe(false);
  });

  it('without the maintenance worker only the driver and HTTP run', async () => {
    const serve = await serveInProcess({ workers: { maintenance: { enabled: false } } });
    const { url } = await serve.ready;
    const status = (await (await fetch(`${url}/status`)).json()) as SupervisorStatus;
    expect(status.services.map((service) => service.name)).toEqual(['driver', 'http']);
  });
});
