/// <reference lib="deno.ns" />
import { join } from 'node:path';
import { connectDatabase } from '../../src/db/connect.ts';
import { denoRuntime } from '../../src/runtime/deno.ts';
import { driverSmokeSpec } from '../shared/driver-smoke.ts';
import { vectorSearchSmokeSpec } from '../shared/vector-search-smoke.ts';
import { waitFor } from '../helpers/wait-for.ts';

// The driver started under Deno the way the program starts itself (runtime.selfCommand),
// so it runs on node:sqlite; the client is the same DatabaseClient the Node side uses.
Deno.test({
  name: 'a driver under Deno (node:sqlite) serves every method through the DatabaseClient, sqlite-vec loaded on every connection',
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await denoRuntime.fs.makeTempDir('ca-deno-');
    const socketPath = join(dir, 'run', 'driver.sock');
    const child = denoRuntime.spawn([...denoRuntime.selfCommand(), 'driver', '--database', join(dir, 'smoke.db'), '--socket', socketPath], {
      stdout: 'inherit',
      stderr: 'inherit',
    });
    const db = connectDatabase(denoRuntime, { socketPath, timeoutMs: 10_000 });
    try {
      await waitFor(async () => (await db.ping()).pong, { timeoutMs: 30_000, message: 'the Deno driver to answer ping' });
      await driverSmokeSpec(db, 'node:sqlite');
      await vectorSearchSmokeSpec(db);
    } finally {
      db.close();
      child.kill('SIGTERM');
      const exit = await child.exited;
      await denoRuntime.fs.rm(dir, { recursive: true });
      if (exit.code !== 0) throw new Error(`the Deno driver exited with ${JSON.stringify(exit)}`);
    }
  },
});
