import { join } from 'node:path';
import { ITEMS_SCHEMA, makeItems, pointKey, TABLE } from '../lib/bench-table.ts';
import { startDriver } from '../lib/driver-child.ts';
import { openBaseline } from '../lib/in-process.ts';
import { progress } from '../lib/progress.ts';
import type { BenchSettings } from '../lib/settings.ts';
import { ratio } from '../lib/summary.ts';
import { timeAsync, timeSync } from '../lib/timed-loop.ts';

/**
 * Rows 1 and 3: point selects by primary key, in-process vs through the driver, and an
 * empty ping on the same connection right after — the transport floor the select sits on.
 */
export async function pointSelectAndPing(dir: string, settings: BenchSettings) {
  const rows = settings.preloadRows;
  const key = (i: number) => pointKey(i, rows);

  progress(`point select: in-process baseline, ${settings.sequentialReads.ops} ops`);
  const db = openBaseline(join(dir, 'baseline.db'));
  const insert = db.prepare(`INSERT INTO "${TABLE}" ("name", "value") VALUES (@name, @value)`);
  db.transaction(() => makeItems(rows).forEach((item) => insert.run(item)))();
  const get = db.prepare(`SELECT * FROM "${TABLE}" WHERE "id" = ?`);
  const baseline = timeSync((i) => get.get(key(i)), settings.sequentialReads);
  db.close();

  const driver = await startDriver(join(dir, 'driver'));
  try {
    const client = driver.client();
    await client.createTable(ITEMS_SCHEMA);
    await client.insertMany(TABLE, makeItems(rows));
    const probe = await client.select(TABLE, { where: { id: key(1) } });
    if (probe.data.length !== 1) throw new Error(`point select found ${probe.data.length} rows, expected 1`);

    progress(`point select: RPC sequential, ${settings.sequentialReads.ops} ops`);
    const rpc = await timeAsync((i) => client.select(TABLE, { where: { id: key(i) } }), settings.sequentialReads);
    progress(`ping: RPC sequential, ${settings.sequentialReads.ops} ops`);
    const ping = await timeAsync(() => client.ping(), settings.sequentialReads);

    return {
      point_select: {
        baseline_in_process: baseline,
        rpc_sequential: { ...rpc, vs_baseline: ratio(rpc, baseline) },
      },
      ping: {
        rpc_ping: { ...ping, vs_rpc_point_select: ratio(ping, rpc), vs_baseline: ratio(ping, baseline) },
        /** What a select costs on top of the round trip: validation, queue, SQLite, encoding. */
        point_select_minus_ping_us: Number((rpc.mean_us - ping.mean_us).toFixed(2)),
        transport_share_of_point_select: Number((ping.mean_us / rpc.mean_us).toFixed(3)),
      },
    };
  } finally {
    await driver.stop();
  }
}
