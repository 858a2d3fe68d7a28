import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseClient } from '../../../src/db/database-client.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import type { MethodStatsEntry } from '../../../src/queue/method-stats.ts';
import { DRIVER_TARGETS, type DriverHandle } from '../../helpers/driver.ts';
import { RawSocket } from '../../helpers/raw-socket.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';

type Methods = Record<string, MethodStatsEntry | undefined>;

describe.each(DRIVER_TARGETS)('per-method statistics of the %s', (_label, start) => {
  let driver: DriverHandle;
  let db: DatabaseClient;
  const methods = async () => (await db.stats()).methods as Methods;

  beforeAll(async () => {
    driver = await start();
    db = driver.client();
    await db.createTable({ name: 'items', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'n', type: 'integer' }] });
  });

  it('N selects add N to methods.select.count, with a histogram that accounts for each', async () => {
    const before = (await methods()).select?.count ?? 0;
    const N = 7;
    for (let i = 0; i < N; i++) await db.select('items');
    const select = (await methods()).select!;
    expect(select.count).toBe(before + N);
    expect(select.failed).toBe(0);
    expect(select.sum_ms).toBeGreaterThan(0);
    expect(select.buckets.le).toEqual([1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]);
    expect(select.buckets.counts).toHaveLength(select.buckets.le.length);
    expect(select.buckets.counts.at(-1)).toBeLessThanOrEqual(select.count);
  });

  it('counts failures, control methods and writes, each under its own name', async () => {
    const before = await methods();
    await rejectionOf(db.select('no_such_table'));
    await rejectionOf(driver.rpc().call('select', { table_name: 'items', limit: -1 }));
    await db.ping();
    await db.insertMany('items', [{ n: 1 }, { n: 2 }]);
    const after = await methods();
    expect(after.select!.failed).toBe((before.select?.failed ?? 0) + 2);
    expect(after.select!.count).toBe((before.select?.count ?? 0) + 2);
    expect(after.ping!.count).toBe((before.ping?.count ?? 0) + 1);
    expect(after.insert_many).toMatchObject({ count: (before.insert_many?.count ?? 0) + 1, failed: 0 });
    // The stats call that took the first snapshot was answered, so the second one sees it.
    expect(after.stats!.count).toBeGreaterThan(before.stats?.count ?? 0);
  });

  it('unknown methods, even ones named like Object properties, share one entry and are refused', async () => {
    const raw = await RawSocket.connect(driver.socketPath);
    for (const [id, method] of [
      ['u1', 'no_such_method'],
      ['u2', 'constructor'],
      ['u3', 'toString'],
    ] as const) {
      raw.request(id, method, {});
      const response = await raw.responseTo(id);
      expect(response.error, method).toMatchObject({ code: ErrorCode.INVALID_REQUEST });
      expect(String((response.error as { message: string }).message)).toContain(`unknown method "${method}"`);
    }
    const after = await methods();
    expect(after['(unknown)']).toMatchObject({ count: 3, failed: 3 });
    expect(Object.hasOwn(after, 'constructor')).toBe(false);
    expect(Object.keys(after)).not.toContain('no_such_method');
  });
});
