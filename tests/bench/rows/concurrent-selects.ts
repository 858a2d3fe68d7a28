import { join } from 'node:path';
import type { ClientPool } from '../lib/client-pool.ts';
import { ITEMS_SCHEMA, makeItems, TABLE } from '../lib/bench-table.ts';
import { startDriver } from '../lib/driver-child.ts';
import { progress } from '../lib/progress.ts';
import type { BenchSettings } from '../lib/settings.ts';
import { ratio, type Summary } from '../lib/summary.ts';

/**
 * Point selects from N client processes at once (one call in flight each) through the driver
 * process, against the in-process better-sqlite3 point select of row 1: the reads run on the
 * driver's reader threads beside each other.
 */
export async function concurrentPointSelects(dir: string, settings: BenchSettings, pool: ClientPool, baseline: Summary) {
  const driver = await startDriver(join(dir, 'driver'));
  try {
    const client = driver.client();
    await client.createTable(ITEMS_SCHEMA);
    await client.insertMany(TABLE, makeItems(settings.preloadRows));
    progress(`point select: ${pool.size} client processes × ${settings.concurrentSelectsPerClient} selects`);
    const concurrent = await pool.run({
      kind: 'select',
      socketPath: driver.socketPath,
      table: TABLE,
      rowsPerClient: settings.concurrentSelectsPerClient,
      callersPerClient: 1,
      keys: settings.preloadRows,
    });
    return {
      ...concurrent,
      vs_baseline: ratio(concurrent, baseline, false),
      note: `Total throughput of ${pool.size} client processes against the sequential in-process baseline of point_select (one process, no IPC).`,
    };
  } finally {
    await driver.stop();
  }
}
