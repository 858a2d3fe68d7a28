import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { runCli } from '../helpers/cli.ts';
import { startServe, testConfig } from '../helpers/serve.ts';
import { isSettled, waitFor } from '../helpers/wait-for.ts';

const ITEMS = { name: 'items', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] };

/** The time of the first log line a service wrote about itself (not the supervisor's lines). */
async function firstOwnLogTime(logFile: string, matches: RegExp): Promise<number> {
  for (const line of (await readFile(logFile, 'utf8')).split('\n')) {
    if (!line.startsWith('{') || line.includes('"tag":"supervisor"')) continue;
    const entry = JSON.parse(line) as { time?: string; message?: string };
    if (entry.time && matches.test(entry.message ?? '')) return Date.parse(entry.time);
  }
  throw new Error(`no line matching ${matches} in ${logFile}`);
}

/** Tests that write over POST /rpc, which the default (server.rpc "read") refuses. */
const WRITABLE = testConfig({ server: { rpc: 'write' } });

describe('code-analysis serve', () => {
  it('starts driver, then workers, then HTTP; answers /health and round-trips a table op over POST /rpc', async () => {
    const serve = await startServe({ config: WRITABLE });
    expect(serve.stdout()).toContain(`data:      ${serve.paths.dataDir}`);
    expect(serve.stdout()).toContain(`logs:      ${serve.paths.logsDir}`);
    expect(serve.stdout()).toContain(`pid files: ${serve.paths.runDir}`);

    const health = await serve.get('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const status = await serve.status();
    expect(status.services.map((service) => service.name)).toEqual(['driver', 'worker-maintenance', 'http']);
    const [driver, worker, http] = status.services;
    expect(status.services.every((service) => service.state === 'running')).toBe(true);
    // Each starts only once the one before is ready.
    expect(Date.parse(driver!.ready_at!)).toBeLessThanOrEqual(Date.parse(worker!.started_at!));
    expect(Date.parse(worker!.ready_at!)).toBeLessThanOrEqual(Date.parse(http!.started_at!));
    // The same order from the services' own logs: the driver's "ready" line precedes the worker's.
    const driverReady = await firstOwnLogTime(serve.paths.logFile('driver'), /^ready:/);
    const workerReady = await firstOwnLogTime(serve.paths.logFile('worker-maintenance'), /ready, pid/);
    expect(driverReady).toBeLessThanOrEqual(workerReady);
    expect(workerReady).toBeLessThanOrEqual(Date.parse(http!.started_at!));
    expect(driver!.pid).not.toBe(worker!.pid);

    expect((await serve.rpc('create_table', { schema: ITEMS })).result).toMatchObject({ success: true });
    expect((await serve.rpc('insert', { table_name: 'items', data: { id: 7, label: 'seven' } })).result).toEqual({ row_id: 7 });
    expect((await serve.rpc('select', { table_name: 'items', where: { id: 7 } })).result).toEqual({ data: [{ id: 7, label: 'seven' }] });
    const bad = await serve.rpc('select', { table_name: 'items; DROP TABLE items' });
    expect(bad.error?.code).toBe(4);
    expect((await serve.rpc('select', { table_name: 'items' })).result).toEqual({ data: [{ id: 7, label: 'seven' }] });
  });

  it('survives kill -9 of the driver under writes with no acknowledged write lost, and restarts a killed worker', async () => {
    const serve = await startServe();
    const db = connectDatabase(nodeRuntime, { socketPath: serve.paths.socket, timeoutMs: 5_000 });
    deferCleanup(() => db.close());
    await db.createTable(ITEMS);
    const acknowledged: number[] = [];
    const failures: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let id = 1; writing; id++) {
        try {
          await db.insert('items', { id, label: `row ${id}` });
          acknowledged.push(id);
        } catch (error) {
          failures.push((error as Error).message);
          // Pace the retries of a writer whose driver is down; not a synchronisation point.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })();
    await waitFor(() => acknowledged.length >= 100, { message: '100 acknowledged writes' });
    const first = await serve.service('driver');
    nodeRuntime.kill(first.pid!, 'SIGKILL');
    const restarted = await waitFor(async () => {
      const driver = await serve.service('driver');
      return driver.state === 'running' && driver.pid !== first.pid ? driver : undefined;
    }, { message: 'the driver restarted' });
    expect(restarted.restarts).toBe(1);
    // A health check may run between the kill and the exit being seen, and then says so first.
    expect(restarted.last_error).toMatch(/^(health check failed 1 time\(s\): new clients cannot connect: nothing listens on \S+ \(.+\); )?killed by SIGKILL$/);
    await waitFor(async () => (await serve.get('/health')).status === 200, { message: '/health 200 again' });
    const before = acknowledged.length;
    await waitFor(() => acknowledged.length >= before + 100, { message: 'writes to resume after the restart' });
    writing = false;
    await writer;
    const stored = new Set((await db.select<{ id: number }>('items', { columns: ['id'] })).data.map((row) => row.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);

    const worker = await serve.service('worker-maintenance');
    nodeRuntime.kill(worker.pid!, 'SIGKILL');
    const newWorker = await waitFor(async () => {
      const current = await serve.service('worker-maintenance');
      return current.state === 'running' && current.pid !== worker.pid ? current : undefined;
    }, { message: 'the worker restarted' });
    expect(newWorker.restarts).toBe(1);
  });

  it('a hung driver (stopped with SIGSTOP, so pings time out) is killed and restarted', async () => {
    const serve = await startServe({ config: testConfig({ supervisor: { ping_timeout_ms: 300, max_missed_pings: 2 } }) });
    const hung = await serve.service('driver');
    process.kill(hung.pid!, 'SIGSTOP');
    const restarted = await waitFor(async () => {
      const driver = await serve.service('driver');
      return driver.state === 'running' && driver.pid !== hung.pid ? driver : undefined;
    }, { message: 'the hung driver to be replaced' });
    expect(restarted.restarts).toBe(1);
    expect(restarted.last_error).toMatch(/^health check failed 2 time\(s\): .*; killed by SIGKILL$/);
    expect(nodeRuntime.isPidAlive(hung.pid!)).toBe(false);
    await waitFor(async () => (await serve.get('/health')).status === 200, { message: '/health 200 again' });
  });

  it('a driver that keeps crashing ends failed and /health says 503 with the reason', async () => {
    const serve = await startServe({ config: testConfig({ supervisor: { max_restarts: 1 } }) });
    const first = await serve.service('driver');
    nodeRuntime.kill(first.pid!, 'SIGKILL');
    const second = await waitFor(async () => {
      const driver = await serve.service('driver');
      return driver.state === 'running' && driver.pid !== first.pid ? driver : undefined;
    }, { message: 'the first restart' });
    nodeRuntime.kill(second.pid!, 'SIGKILL');
    await waitFor(async () => (await serve.service('driver')).state === 'failed', { message: 'driver failed' });
    const health = await serve.get('/health');
    expect(health.status).toBe(503);
    const body = (await health.json()) as { status: string; reason: string };
    expect(body.status).toBe('failed');
    expect(body.reason).toContain('gave up after 1 restarts within 60000 ms');
    expect(nodeRuntime.isPidAlive(second.pid!)).toBe(false);
  });

  it('`stop` from another process drains and stops everything, leaving no process, PID or socket file', async () => {
    const serve = await startServe();
    const pids = (await serve.status()).services.map((service) => service.pid!);
    const stop = await runCli(['stop', '--config', serve.configFile]);
    expect(stop.stderr).toBe('');
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`stopped code-analysis (pid ${serve.child.pid})`);
    expect((await serve.exited).code).toBe(0);
    for (const pid of [serve.child.pid, ...pids]) expect(nodeRuntime.isPidAlive(pid)).toBe(false);
    expect(await readdir(serve.paths.runDir)).toEqual([]);
    // The driver checkpointed on its way out: no -wal file is left either.
    expect((await readdir(serve.paths.dataDir)).filter((name) => name.endsWith('-wal'))).toEqual([]);
    expect(serve.stderr()).toMatch(/shutting down: HTTP first[\s\S]*stopping worker-maintenance[\s\S]*stopping driver[\s\S]*stopped/);

    const again = await runCli(['stop', '--config', serve.configFile]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('not running');
    const status = await runCli(['status', '--config', serve.configFile]);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('not running');
  });

  it('on stop, a request the HTTP server already took is answered before anything else stops', async () => {
    const serve = await startServe({ config: WRITABLE });
    const db = connectDatabase(nodeRuntime, { socketPath: serve.paths.socket, timeoutMs: 30_000 });
    deferCleanup(() => db.close());
    await db.createTable(ITEMS);
    // A transaction on our own connection holds the single writer, so the HTTP insert waits in the queue.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let begun!: () => void;
    const inTransaction = new Promise<void>((resolve) => (begun = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.insert('items', { id: 0, label: 'in the transaction' });
      begun();
      await held;
    });
    await inTransaction;
    const answered = serve.rpc('insert', { table_name: 'items', data: { id: 1, label: 'in flight' } });
    await waitFor(async () => ((await db.stats()) as { queue: { depth: { total: number } } }).queue.depth.total === 1, {
      message: 'the HTTP insert to wait in the queue',
    });
    const stop = runCli(['stop', '--config', serve.configFile]);
    await waitFor(() => fetch(`${serve.url}/health`).then(() => false, () => true), { message: 'HTTP to stop accepting' });
    expect(await isSettled(answered)).toBe(false);
    expect(await isSettled(serve.exited)).toBe(false);
    release();
    await transaction;
    expect((await answered).result).toEqual({ row_id: 1 });
    expect((await stop).code).toBe(0);
    expect((await serve.exited).code).toBe(0);
  });

  it('`status` from another shell shows services, pids, restarts, health and queue depth', async () => {
    const serve = await startServe();
    const status = await runCli(['status', '--config', serve.configFile]);
    expect(status.code).toBe(0);
    const driver = await serve.service('driver');
    expect(status.stdout).toMatch(new RegExp(`driver\\s+running\\s+${driver.pid}\\s+\\S+\\s+0\\s+ok`));
    expect(status.stdout).toMatch(/worker-maintenance\s+running/);
    expect(status.stdout).toMatch(/queue: \d+ waiting \(critical 0, high 0, normal 0, low 0\)/);
    // One-shot commands use the running server's driver (a second driver would be refused).
    const search = await runCli(['search', 'nothing_here', '--config', serve.configFile]);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toBe('no symbol matches "nothing_here"\n');
    const ping = await runCli(['rpc', 'ping', '--data-dir', serve.paths.dataDir]);
    expect(ping.code, ping.stderr).toBe(0);
    expect(JSON.parse(ping.stdout)).toMatchObject({ pong: true, pid: driver.pid });
    const json = await runCli(['status', '--config', serve.configFile, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ running: true, url: serve.url, pid: serve.child.pid, queue: { depth: { total: 0 } } });
  });

  it('refuses a second serve on the same data dir, naming the first pid; a stale PID file is cleared', async () => {
    const first = await startServe();
    const second = await startServe({ dir: first.dir, noWait: true });
    const exit = await second.exited;
    expect(exit.code).toBe(1);
    expect(second.stderr()).toContain(`already running, pid ${first.child.pid}`);
    expect((await first.get('/health')).status).toBe(200);
    expect(await runCli(['stop', '--config', first.configFile]).then((result) => result.code)).toBe(0);

    // A dead process's pid in serve.pid: the next serve replaces it and starts.
    const dead = nodeRuntime.spawn([process.execPath, '-e', '']);
    await dead.exited;
    await nodeRuntime.fs.mkdir(first.paths.runDir, { recursive: true });
    await nodeRuntime.fs.writeFileAtomic(first.paths.servePid, `${dead.pid}\n`);
    const third = await startServe({ dir: first.dir });
    expect((await third.get('/health')).status).toBe(200);
    expect((await readFile(third.paths.servePid, 'utf8')).trim()).toBe(String(third.child.pid));
  });

  it('children of a serve killed with -9 shut down in order by themselves, and the next serve starts', async () => {
    const serve = await startServe();
    const children = (await serve.status()).services.filter((service) => service.kind !== 'http').map((service) => service.pid!);
    serve.child.kill('SIGKILL');
    await serve.exited;
    await waitFor(() => children.every((pid) => !nodeRuntime.isPidAlive(pid)), { message: 'the orphaned children to stop' });
    // They cleaned up their own files; only the dead supervisor's are left, and the next serve replaces them.
    expect((await readdir(serve.paths.runDir)).sort()).toEqual(['config.json', 'serve.json', 'serve.pid']);
    const next = await startServe({ dir: serve.dir });
    expect((await next.get('/health')).status).toBe(200);
  });

  it('with an auth token every route but /health needs it', async () => {
    const token = 'a-token-long-enough-1234';
    const serve = await startServe({ config: testConfig({ server: { auth_token: token } }) });
    expect((await serve.get('/health')).status).toBe(200);
    expect((await serve.get('/status')).status).toBe(401);
    expect((await serve.get('/status', { authorization: `Bearer ${token}` })).status).toBe(200);
    const status = await runCli(['status', '--config', serve.configFile]);
    expect(status.code).toBe(0);
  });
});
