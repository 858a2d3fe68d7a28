import { join } from 'node:path';
import { ITEMS_SCHEMA, makeItems, pointKey, TABLE } from '../lib/bench-table.ts';
import { startDriver } from '../lib/driver-child.ts';
import { progress } from '../lib/progress.ts';
import type { BenchSettings } from '../lib/settings.ts';
import { summarize, type Summary } from '../lib/summary.ts';
import { timeAsync } from '../lib/timed-loop.ts';

/** Never ends on its own: its deadline stops it. */
const FOREVER = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

/** Time `op` one call at a time until `running` settles. */
async function whileRunning(running: Promise<unknown>, op: (i: number) => Promise<unknown>): Promise<Summary> {
  let settled = false;
  void running.finally(() => (settled = true));
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; !settled; i++) {
    const before = process.hrtime.bigint();
    await op(i);
    if (!settled) latencies.push(Number(process.hrtime.bigint() - before) / 1000);
  }
  return summarize(latencies, process.hrtime.bigint() - start);
}

/**
 * Reads never wait behind a long statement: a statement running `longStatementMs` (until
 * its deadline stops it) on one connection, while another connection pings and a third
 * reads point selects; the same pings alone before it, as the baseline.
 */
export async function longStatement(dir: string, settings: BenchSettings) {
  const driver = await startDriver(join(dir, 'driver'));
  try {
    const setup = driver.client();
    await setup.createTable(ITEMS_SCHEMA);
    await setup.insertMany(TABLE, makeItems(settings.preloadRows));
    const pinger = driver.client();
    const reader = driver.client();
    progress(`long statement: ${settings.sequentialReads.ops} pings alone`);
    const alone = await timeAsync(() => pinger.ping(), settings.sequentialReads);
    progress(`long statement: pings and point selects while a ${settings.longStatementMs} ms statement runs`);
    const long = driver
      .client()
      .execute(FOREVER, undefined, { timeoutMs: settings.longStatementMs })
      .then(
        () => 'finished',
        (error: { codeName?: string }) => error.codeName ?? 'failed',
      );
    const [pings, selects, outcome] = await Promise.all([
      whileRunning(long, () => pinger.ping()),
      whileRunning(long, (i) => reader.select(TABLE, { where: { id: pointKey(i, settings.preloadRows) } })),
      long,
    ]);
    return {
      statement: { runs_ms: settings.longStatementMs, outcome },
      ping_alone: alone,
      ping_during: pings,
      point_select_during: selects,
      note: 'Each on its own connection of the same driver child; the statement is stopped at its deadline (TIMEOUT).',
    };
  } finally {
    await driver.stop();
  }
}
