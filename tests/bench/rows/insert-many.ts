import { join } from 'node:path';
import { ITEMS_SCHEMA, makeItems, TABLE } from '../lib/bench-table.ts';
import { startDriver } from '../lib/driver-child.ts';
import { openBaseline } from '../lib/in-process.ts';
import { progress } from '../lib/progress.ts';
import { expectRowCount } from '../lib/row-count.ts';
import type { BenchSettings } from '../lib/settings.ts';
import { ratio, type Summary } from '../lib/summary.ts';
import { timeAsync, timeSync } from '../lib/timed-loop.ts';

/** Figures per call, plus the row rate that matters for bulk loading. */
function perRows(summary: Summary, rowsPerCall: number) {
  return { ...summary, rows_per_call: rowsPerCall, rows_per_s: Math.round(summary.ops_per_s * rowsPerCall) };
}

/** Row 4: `insert_many` of N rows in one call vs N in-process inserts in one transaction. */
export async function insertMany(dir: string, settings: BenchSettings) {
  const { rows, calls } = settings.bulk;
  // Built before timing: making the objects is the caller's work in both cases.
  const batches = Array.from({ length: calls.warmup + calls.ops }, (_, call) => makeItems(rows, call * rows));
  const batch = (i: number) => batches[i]!;

  progress(`insert_many: in-process baseline, ${calls.ops} × ${rows} rows`);
  const db = openBaseline(join(dir, 'baseline.db'));
  const insert = db.prepare(`INSERT INTO "${TABLE}" ("name", "value") VALUES (@name, @value)`);
  const insertAll = db.transaction((items: ReturnType<typeof makeItems>) => items.forEach((item) => insert.run(item)));
  const baseline = timeSync((i) => insertAll(batch(i)), calls);
  db.close();

  const driver = await startDriver(join(dir, 'driver'));
  try {
    const client = driver.client();
    await client.createTable(ITEMS_SCHEMA);
    progress(`insert_many: RPC, ${calls.ops} × ${rows} rows`);
    const rpc = await timeAsync((i) => client.insertMany(TABLE, batch(i)), calls);
    await expectRowCount(client, TABLE, batches.length * rows);
    return {
      baseline_in_process: perRows(baseline, rows),
      rpc_insert_many: { ...perRows(rpc, rows), vs_baseline: ratio(rpc, baseline) },
      note: `Latencies are per call of ${rows} rows; with ${calls.ops} calls, p99 is simply the slowest one.`,
    };
  } finally {
    await driver.stop();
  }
}
