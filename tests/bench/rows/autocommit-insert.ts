import { join } from 'node:path';
import type { ClientPool } from '../lib/client-pool.ts';
import { ITEMS_SCHEMA, makeItem, TABLE } from '../lib/bench-table.ts';
import { startDriver } from '../lib/driver-child.ts';
import { openBaseline } from '../lib/in-process.ts';
import { progress } from '../lib/progress.ts';
import { expectRowCount } from '../lib/row-count.ts';
import type { BenchSettings } from '../lib/settings.ts';
import { ratio } from '../lib/summary.ts';
import { timeAsync, timeSync } from '../lib/timed-loop.ts';

/** Row 2: single-row autocommit inserts — in-process, RPC one at a time, RPC from N client processes. */
export async function autocommitInserts(dir: string, settings: BenchSettings, pool: ClientPool) {
  const counts = settings.sequential;

  progress(`autocommit insert: in-process baseline, ${counts.ops} ops`);
  const db = openBaseline(join(dir, 'baseline.db'));
  const insert = db.prepare(`INSERT INTO "${TABLE}" ("name", "value") VALUES (@name, @value)`);
  // No surrounding transaction: each run() is its own commit, an fsync each under FULL.
  const baseline = timeSync((i) => insert.run(makeItem(i)), counts);
  db.close();

  const driver = await startDriver(join(dir, 'driver'));
  try {
    const client = driver.client();
    await client.createTable(ITEMS_SCHEMA);

    progress(`autocommit insert: RPC sequential, ${counts.ops} ops`);
    const rpc = await timeAsync((i) => client.insert(TABLE, makeItem(i)), counts);

    progress(`autocommit insert: ${pool.size} client processes × ${settings.rowsPerClient} rows`);
    const concurrent = await pool.run({ socketPath: driver.socketPath, table: TABLE, rowsPerClient: settings.rowsPerClient, callersPerClient: 1 });
    await expectRowCount(client, TABLE, counts.warmup + counts.ops + pool.size * settings.rowsPerClient);

    return {
      baseline_in_process: baseline,
      rpc_sequential: { ...rpc, vs_baseline: ratio(rpc, baseline) },
      [`rpc_${pool.size}_processes`]: {
        ...concurrent,
        vs_baseline: ratio(concurrent, baseline, false),
        note:
          `Total throughput of ${pool.size} client processes (one call in flight each) against the SEQUENTIAL in-process baseline: ` +
          'concurrent in-process better-sqlite3 writers would only contend for the same write lock, so they are not a meaningful baseline. ' +
          'Latencies here include queueing behind the other clients and group commit.',
      },
    };
  } finally {
    await driver.stop();
  }
}
