import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/runtime/logger.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { ManagedService } from '../../src/supervisor/managed-service.ts';
import { type ServiceSpec, ServiceUnreachable } from '../../src/supervisor/service-spec.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

const SCRIPT = join(REPO_ROOT, 'tests/helpers/scripted-child.mjs');
const logger = createLogger(nodeRuntime, { level: 'silent' });

/** A service running the scripted child; `script` is its key=value arguments. */
async function service(script: string[], overrides: Partial<ServiceSpec> = {}) {
  const dir = await makeTempDir();
  const spec: ServiceSpec = {
    name: 'scripted',
    kind: 'worker',
    command: [process.execPath, SCRIPT, ...script],
    logFile: join(dir, 'scripted.log'),
    pidFile: join(dir, 'scripted.pid'),
    ready: (child) => child.readyEvent,
    async checkHealth(child) {
      if (Date.now() - child.lastHeartbeatAt > 300) throw new Error('no heartbeat');
    },
    healthIntervalMs: 100,
    maxMissedChecks: 2,
    startTimeoutMs: 5_000,
    stopTimeoutMs: 5_000,
    maxRestarts: 3,
    restartWindowMs: 60_000,
    ...overrides,
  };
  const managed = new ManagedService(nodeRuntime, logger, spec);
  deferCleanup(() => managed.stop());
  return { managed, spec, log: () => readFile(spec.logFile, 'utf8') };
}

describe('ManagedService', () => {
  it('starts a child, waits for its ready event and logs its output, but not its heartbeats', async () => {
    const { managed, log } = await service(['ready=50', 'heartbeat=20', 'say=hello from stdout']);
    await managed.start();
    const status = managed.status();
    expect(status).toMatchObject({ name: 'scripted', state: 'running', health: 'ok', restarts: 0, last_error: null });
    expect(status.pid).toBeGreaterThan(0);
    expect(nodeRuntime.isPidAlive(status.pid!)).toBe(true);
    expect(Date.parse(status.ready_at!)).toBeGreaterThanOrEqual(Date.parse(status.started_at!));
    await waitFor(async () => (await log()).includes('hello from stdout'), { message: 'stdout in the log' });
    const text = await log();
    expect(text).toContain(`scripted child ${status.pid} up`);
    expect(text).toContain('"event":"ready"');
    expect(text).not.toContain('"event":"heartbeat"');
  });

  it('a child that exits before it is ready fails the start with the last reason it printed', async () => {
    const { managed, spec } = await service(['exit=100:1', 'fail=unable to open database file']);
    const error = await managed.start().then(
      () => null,
      (reason: Error) => reason,
    );
    expect(error?.message).toBe(`scripted did not start: exited with code 1 before it was ready: unable to open database file (see ${spec.logFile})`);
  });

  it('a health check that finds the child unreachable stops it at once (SIGTERM, then SIGKILL) and restarts it', async () => {
    let unreachable = true;
    const { managed } = await service(['ready=10', 'heartbeat=20'], {
      async checkHealth() {
        if (unreachable) throw new ServiceUnreachable('new clients cannot connect: no socket file at /x.sock');
      },
      maxMissedChecks: 100,
    });
    await managed.start();
    const first = managed.status().pid;
    const restarted = await waitFor(() => {
      const status = managed.status();
      return status.state === 'running' && status.pid !== first ? status : undefined;
    }, { message: 'the unreachable child to be replaced' });
    unreachable = false;
    expect(restarted.restarts).toBe(1);
    expect(restarted.last_error).toBe('health check failed 1 time(s): new clients cannot connect: no socket file at /x.sock; exited with code 0');

    // One that ignores SIGTERM is killed after the stop timeout.
    const stubborn = await service(['ready=10', 'ignore-term=1'], {
      async checkHealth() {
        throw new ServiceUnreachable('gone');
      },
      stopTimeoutMs: 200,
      maxRestarts: 0,
    });
    await stubborn.managed.start();
    await waitFor(() => stubborn.managed.status().state === 'failed', { message: 'the stubborn child to be killed' });
    expect(stubborn.managed.status().last_error).toBe('health check failed 1 time(s): gone; killed by SIGKILL; gave up after 0 restarts within 60000 ms (max_restarts 0)');
  });

  it('a health check still running when its child dies does not touch the restarted child', async () => {
    let failCheck!: (error: Error) => void;
    let checking = false;
    const { managed } = await service(['ready=10', 'heartbeat=20'], {
      checkHealth: () =>
        checking
          ? Promise.resolve()
          : new Promise<void>((_, reject) => {
              checking = true;
              failCheck = reject;
            }),
      initialBackoffMs: 10,
    });
    await managed.start();
    await waitFor(() => checking, { message: 'a health check in flight' });
    const first = managed.pid!;
    nodeRuntime.kill(first, 'SIGKILL');
    await waitFor(() => managed.status().state === 'running' && managed.pid !== first, { message: 'the restart' });
    failCheck(new Error('cannot connect: ECONNREFUSED'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(managed.status()).toMatchObject({ state: 'running', health: 'ok', restarts: 1, last_error: 'killed by SIGKILL' });
  });

  it('a child that never gets ready fails the start, is killed, and the error names the log', async () => {
    const { managed, spec } = await service([], { startTimeoutMs: 300 });
    const error = await managed.start().then(
      () => null,
      (reason: Error) => reason,
    );
    expect(error?.message).toBe(`scripted did not start: not ready within 300 ms (see ${spec.logFile})`);
    expect(managed.status()).toMatchObject({ state: 'stopped', pid: null });
    const log = await readFile(spec.logFile, 'utf8');
    const pid = Number(/scripted child (\d+) up/.exec(log)?.[1]);
    expect(nodeRuntime.isPidAlive(pid)).toBe(false);
  });

  it('a child that exits before it is ready fails the start with its exit code', async () => {
    const { managed } = await service(['exit=10:3']);
    await expect(managed.start()).rejects.toThrow('exited with code 3 before it was ready');
  });

  it('a crashed child is restarted with a new pid; a crash loop ends in failed with the reason', async () => {
    const { managed } = await service(['ready=10', 'heartbeat=20'], { maxRestarts: 2 });
    await managed.start();
    const pids = [managed.pid!];
    for (let crash = 1; crash <= 2; crash++) {
      nodeRuntime.kill(pids.at(-1)!, 'SIGKILL');
      const next = await waitFor(() => (managed.status().state === 'running' && managed.pid !== pids.at(-1) ? managed.pid : null), {
        message: `restart ${crash}`,
      });
      pids.push(next);
      expect(managed.status()).toMatchObject({ restarts: crash, last_error: 'killed by SIGKILL' });
    }
    nodeRuntime.kill(pids.at(-1)!, 'SIGKILL');
    await waitFor(() => managed.status().state === 'failed', { message: 'failed state' });
    expect(managed.status()).toMatchObject({
      pid: null,
      restarts: 2,
      health: 'unhealthy',
      last_error: 'killed by SIGKILL; gave up after 2 restarts within 60000 ms (max_restarts 2)',
    });
    expect(new Set(pids).size).toBe(3);
  });

  it('a child that stops sending heartbeats is killed and restarted', async () => {
    // Ready, but no heartbeats: after two missed checks it counts as hung.
    const { managed } = await service(['ready=10'], { maxRestarts: 1 });
    await managed.start();
    const first = managed.pid!;
    await waitFor(() => managed.status().restarts === 1, { message: 'restart of the hung child' });
    expect(nodeRuntime.isPidAlive(first)).toBe(false);
    expect(managed.status().last_error).toMatch(/^health check failed 2 time\(s\): no heartbeat; killed by SIGKILL/);
  });

  it('stop sends SIGTERM, then SIGKILL to a child that ignores it', async () => {
    const { managed } = await service(['ready=10', 'heartbeat=20', 'ignore-term=1'], { stopTimeoutMs: 200 });
    await managed.start();
    const pid = managed.pid!;
    await managed.stop();
    expect(nodeRuntime.isPidAlive(pid)).toBe(false);
    expect(managed.status()).toMatchObject({ state: 'stopped', pid: null });
  });

  it('stop during the restart backoff cancels the restart', async () => {
    const { managed, log } = await service(['ready=10', 'heartbeat=20', 'exit=150:1'], { initialBackoffMs: 60_000 });
    await managed.start();
    await waitFor(() => managed.status().state === 'backoff', { message: 'backoff after the crash' });
    await managed.stop();
    expect(managed.status()).toMatchObject({ state: 'stopped', pid: null, last_error: 'exited with code 1' });
    const starts = (await log()).match(/started pid/g)?.length;
    expect(starts).toBe(1);
  });

  it('leaves out of the child environment the variables its spec names, and only those', async () => {
    process.env.CODE_ANALYSIS_TEST_DROPPED = 'dropped';
    process.env.CODE_ANALYSIS_TEST_KEPT = 'kept';
    deferCleanup(() => {
      delete process.env.CODE_ANALYSIS_TEST_DROPPED;
      delete process.env.CODE_ANALYSIS_TEST_KEPT;
    });
    const { managed } = await service(['ready=10', 'heartbeat=20'], { withoutEnv: ['CODE_ANALYSIS_TEST_DROPPED'] });
    await managed.start();
    const environment = (await readFile(`/proc/${managed.pid}/environ`, 'utf8')).split('\0');
    expect(environment).toContain('CODE_ANALYSIS_TEST_KEPT=kept');
    expect(environment.filter((entry) => entry.startsWith('CODE_ANALYSIS_TEST_DROPPED='))).toEqual([]);
  });

  it('removes a PID file its child left behind', async () => {
    const dir = await makeTempDir();
    const pidFile = join(dir, 'child.pid');
    const { managed } = await service(['ready=10', 'heartbeat=20'], { pidFile });
    await managed.start();
    await nodeRuntime.fs.writeFileAtomic(pidFile, `${managed.pid}\n`);
    await managed.stop();
    expect(await nodeRuntime.fs.exists(pidFile)).toBe(false);
  });
});
