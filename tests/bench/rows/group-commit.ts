import { join } from 'node:path';
import type { ClientPool } from '../lib/client-pool.ts';
import { ITEMS_SCHEMA, makeItem, TABLE } from '../lib/bench-table.ts';
import { startDriver } from '../lib/driver-child.ts';
import { groupDelta, readGroupCounters } from '../lib/driver-stats.ts';
import { progress } from '../lib/progress.ts';
import { expectRowCount } from '../lib/row-count.ts';
import type { BenchSettings } from '../lib/settings.ts';
import { ratio, type Summary } from '../lib/summary.ts';

/** The same concurrent insert load against one driver; its group counters cover the load only. */
async function runLoad(dir: string, flags: string[], settings: BenchSettings, pool: ClientPool) {
  const { callersPerClient, rowsPerClient, driverWarmupInserts } = settings.groupCommit;
  const driver = await startDriver(dir, flags);
  try {
    const client = driver.client();
    await client.createTable(ITEMS_SCHEMA);
    // Warm the driver's write path so its JIT is not inside the measurement.
    for (let i = 0; i < driverWarmupInserts; i++) await client.insert(TABLE, makeItem(i));
    const before = await readGroupCounters(client);
    const result = await pool.run({ socketPath: driver.socketPath, table: TABLE, rowsPerClient, callersPerClient });
    const after = await readGroupCounters(client);
    await expectRowCount(client, TABLE, driverWarmupInserts + pool.size * rowsPerClient);
    return { ...result, driver_stats: groupDelta(before, after) };
  } finally {
    await driver.stop();
  }
}

/** Row 5: group commit on vs off (`--no-group-commit`) under the same concurrent insert load. */
export async function groupCommit(dir: string, settings: BenchSettings, pool: ClientPool, insertBaseline: Summary) {
  const { callersPerClient, rowsPerClient } = settings.groupCommit;
  const load = `${pool.size} client processes × ${callersPerClient} pipelined callers × ${rowsPerClient / callersPerClient} single-row inserts`;
  progress(`group commit on: ${load}`);
  const on = await runLoad(join(dir, 'on'), [], settings, pool);
  progress(`group commit off: ${load}`);
  const off = await runLoad(join(dir, 'off'), ['--no-group-commit'], settings, pool);
  return {
    load,
    group_commit_off: { ...off, vs_baseline: ratio(off, insertBaseline, false) },
    group_commit_on: { ...on, vs_baseline: ratio(on, insertBaseline, false) },
    /** The figure this row is about: on ÷ off under the same load. */
    on_vs_off: ratio(on, off),
    note:
      'The baseline of on_vs_off is the group-commit-off driver; vs_baseline compares with the sequential in-process ' +
      'autocommit insert baseline of this run. driver_stats are the deltas of the driver\'s stats over the load only.',
  };
}
