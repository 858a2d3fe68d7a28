import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deferCleanup } from '../../helpers/cleanup.ts';
import { spawnCollected } from '../../helpers/driver.ts';
import { BIN } from '../../helpers/paths.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/** `code-analysis driver …` as a child whose output is collected. */
const driverChild = (args: string[]) => spawnCollected([process.execPath, BIN, 'driver', ...args]);

// Issue 14, case 6: a driver that cannot start says why and ends; one told to stop while
// starting stops.
describe('a driver that cannot start, or is stopped while starting', () => {
  it('exits non-zero at once, with the reason, when its database cannot be created (under /proc)', async () => {
    const dir = await makeTempDir();
    const driver = driverChild(['--database', '/proc/x/y.db', '--socket', join(dir, 'run', 'driver.sock')]);
    const exit = await driver.exited;
    expect(exit.code).toBe(1);
    expect(driver.output()).toContain("cannot create the database's directory /proc/x");
    expect(existsSync(join(dir, 'run', 'driver.pid'))).toBe(false);
  });

  it('honours SIGTERM while its PostgreSQL server never answers the connection', async () => {
    const dir = await makeTempDir();
    const silent: Socket[] = [];
    const server = createServer((socket) => silent.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    deferCleanup(() => {
      for (const socket of silent) socket.destroy();
      server.close();
    });
    const port = (server.address() as { port: number }).port;
    const driver = driverChild(['--database', `postgres://nobody@127.0.0.1:${port}/db`, '--socket', join(dir, 'run', 'driver.sock')]);
    await waitFor(() => silent.length > 0, { message: 'the driver to be connecting' });
    driver.child.kill('SIGTERM');
    // Had it waited for its connect timeout instead, it would have failed (exit 1, "cannot connect").
    expect((await driver.exited).code).toBe(0);
    expect(driver.output()).toContain('stopped while starting');
    expect(existsSync(join(dir, 'run', 'driver.pid'))).toBe(false);
  });

  it('honours SIGTERM while its SQLite database is locked by another process', async () => {
    const dir = await makeTempDir();
    const path = join(dir, 'locked.db');
    const holder = new Database(path);
    holder.exec('CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)');
    deferCleanup(() => holder.close());
    // A minute of patience for the lock: only a stop that is honoured ends the start sooner.
    const driver = driverChild(['--database', path, '--socket', join(dir, 'run', 'driver.sock'), '--busy-timeout-ms', '60000']);
    await waitFor(() => existsSync(join(dir, 'run', 'driver.pid')), { message: 'the driver to be starting' });
    driver.child.kill('SIGTERM');
    expect((await driver.exited).code).toBe(0);
    expect(driver.output()).toContain('stopped while starting');
    holder.exec('ROLLBACK');
  });
});
