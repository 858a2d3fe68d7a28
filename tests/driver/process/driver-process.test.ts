import { existsSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { startDriverProcess, startInProcessDriver } from '../../helpers/driver.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { runCli } from '../../helpers/cli.ts';

/** A pid that certainly belongs to no live process: one that has just exited. */
async function deadPid(): Promise<number> {
  const child = nodeRuntime.spawn([process.execPath, '-e', '0'], { stdout: 'ignore', stderr: 'ignore' });
  await child.exited;
  return child.pid;
}

describe('the driver process lifecycle', () => {
  it('serves on a socket only its owner may use (mode 0600) and writes its PID file', async () => {
    const driver = await startDriverProcess();
    expect(statSync(driver.socketPath).mode & 0o777).toBe(0o600);
    expect(Number(nodeRuntime.fs && (await nodeRuntime.fs.readText(driver.pidFile)))).toBe(driver.pid);
    expect((await driver.client().ping()).pid).toBe(driver.pid);
  });

  it('refuses to start while a live driver holds the socket, naming its pid', async () => {
    const driver = await startDriverProcess();
    const second = await runCli(['driver', '--database', driver.databasePath, '--socket', driver.socketPath]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`already running, pid ${driver.pid}`);
    // The first one is untouched and still serving.
    expect(existsSync(driver.socketPath)).toBe(true);
    expect((await driver.client().ping()).pong).toBe(true);
    const otherPidFile = await runCli([
      'driver', '--database', driver.databasePath, '--socket', driver.socketPath, '--pid-file', `${driver.dir}/other.pid`,
    ]);
    expect(otherPidFile.code).toBe(1);
    expect(otherPidFile.stderr).toContain(`already running, pid ${driver.pid}`);
  });

  it('clears a stale socket and a PID file naming a dead process, then starts', async () => {
    const crashed = await startDriverProcess();
    await crashed.kill();
    expect(existsSync(crashed.socketPath)).toBe(true);
    writeFileSync(crashed.pidFile, `${await deadPid()}\n`);
    const restarted = await startDriverProcess({ dir: crashed.dir });
    expect(Number(await nodeRuntime.fs.readText(restarted.pidFile))).toBe(restarted.pid);
    expect(await restarted.stop()).toBe(0);
    expect(existsSync(restarted.socketPath)).toBe(false);
    expect(existsSync(restarted.pidFile)).toBe(false);
  });

  it('SIGTERM lets an open transaction finish within the drain timeout', async () => {
    const driver = await startDriverProcess({ settings: { drainTimeoutMs: 20_000 } });
    const owner = driver.rpc({ poolSize: 1 });
    const waiting = driver.rpc({ poolSize: 1 });
    await owner.call('create_table', { schema: { name: 'notes', columns: [{ name: 'body', type: 'text' }] } });
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    await owner.call('insert', { table_name: 'notes', data: { body: 'in transaction' }, transaction_id });
    const queued = waiting.call('insert', { table_name: 'notes', data: { body: 'queued before SIGTERM' } });
    await waitFor(async () => ((await owner.call<{ queue: { depth: { total: number } } }>('stats')).queue.depth.total === 1));
    driver.child.kill('SIGTERM');
    await waitFor(() => driver.output().includes('shutting down'), { message: 'the driver to start draining' });
    // New work is refused; the open transaction may still finish.
    await expect(waiting.call('select', { table_name: 'notes' })).rejects.toMatchObject({ codeName: 'SHUTTING_DOWN' });
    await owner.call('insert', { table_name: 'notes', data: { body: 'during drain' }, transaction_id });
    await owner.call('commit_transaction', { transaction_id });
    await queued;
    expect((await driver.exited).code).toBe(0);
    const reopened = await startDriverProcess({ dir: driver.dir });
    const { data } = await reopened.client().select('notes', { order_by: ['body'] });
    expect(data).toEqual([{ body: 'during drain' }, { body: 'in transaction' }, { body: 'queued before SIGTERM' }]);
  });

  it('SIGTERM rolls back a transaction still open when the drain times out', async () => {
    const driver = await startDriverProcess({ settings: { drainTimeoutMs: 300 } });
    const owner = driver.rpc({ poolSize: 1 });
    await owner.call('create_table', { schema: { name: 'notes', columns: [{ name: 'body', type: 'text' }] } });
    await owner.call('insert', { table_name: 'notes', data: { body: 'committed' } });
    const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
    await owner.call('insert', { table_name: 'notes', data: { body: 'abandoned' }, transaction_id });
    expect(await driver.stop()).toBe(0);
    expect(driver.output()).toContain('drain timed out');
    const reopened = await startDriverProcess({ dir: driver.dir });
    expect((await reopened.client().select('notes')).data).toEqual([{ body: 'committed' }]);
  });

  it('in-process: the same shutdown path drains, closes and removes its files', async () => {
    const driver = await startInProcessDriver({ settings: { drainTimeoutMs: 1000 } });
    const db = driver.client();
    await db.createTable({ name: 'kept', columns: [{ name: 'v', type: 'integer' }] });
    await db.insert('kept', { v: 1 });
    await driver.stop();
    expect(existsSync(driver.socketPath)).toBe(false);
    expect(existsSync(driver.pidFile)).toBe(false);
    const again = await startInProcessDriver({ dir: driver.dir });
    expect((await again.client().select('kept')).data).toEqual([{ v: 1 }]);
  });

  it('rejects bad flags with exit code 2, naming the flag', async () => {
    const dir = await makeTempDir();
    const result = await runCli(['driver', '--database', `${dir}/x.db`, '--socket', `${dir}/x.sock`, '--max-queue', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-queue');
    const missing = await runCli(['driver', '--database', `${dir}/x.db`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--socket');
  });
});
