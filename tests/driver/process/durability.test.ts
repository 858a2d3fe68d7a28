import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../src/ipc/errors.ts';
import type { RpcClient } from '../../../src/ipc/rpc-client.ts';
import { CHILD_TARGETS, type ChildDriver, startDriverProcess } from '../../helpers/driver.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const WRITERS = 8;

/** Writers inserting until their driver goes away; remembers every acknowledged row. */
function startLoad(driver: ChildDriver) {
  const acknowledged: string[] = [];
  const failures: RpcError[] = [];
  const writers = Array.from({ length: WRITERS }, async (_, writer) => {
    const rpc: RpcClient = driver.rpc({ poolSize: 1, timeoutMs: 5000 });
    for (let i = 0; ; i++) {
      const label = `w${writer}-${i}`;
      try {
        await rpc.call('insert', { table_name: 'events', data: { label } });
        acknowledged.push(label);
      } catch (error) {
        failures.push(error as RpcError);
        return;
      }
    }
  });
  return { acknowledged, failures, done: Promise.all(writers) };
}

async function storedLabels(driver: ChildDriver): Promise<Set<string>> {
  const { data } = await driver.client().select<{ label: string }>('events', { columns: ['label'] });
  return new Set(data.map((row) => row.label));
}

describe.each(CHILD_TARGETS)('durability of the %s', (_label, start) => {
  it('every acknowledged insert survives kill -9 and a restart on the same database', async () => {
    const first = await start();
    await first.client().createTable({ name: 'events', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text', unique: true }] });
    const load = startLoad(first);
    await waitFor(() => load.acknowledged.length >= 500, { message: '500 acknowledged inserts' });
    await first.kill();
    await load.done;
    expect(load.failures).toHaveLength(WRITERS);
    for (const failure of load.failures) expect(failure.codeName).toBe('CONNECTION_ERROR');

    // The killed driver left its socket and PID file behind; a new one clears them.
    expect(existsSync(first.socketPath)).toBe(true);
    const second = await start({ dir: first.dir, database: first.databasePath });
    const stored = await storedLabels(second);
    const lost = load.acknowledged.filter((label) => !stored.has(label));
    expect(lost).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(load.acknowledged.length);
  });

});

// The -wal file and the database file are SQLite's; shutdown on PostgreSQL is covered in tests/driver/postgres.
describe('durability of the SQLite driver process', () => {
  it('SIGTERM during load drains, exits 0, removes its files and keeps every acknowledged insert', async () => {
    const first = await startDriverProcess();
    await first.client().createTable({ name: 'events', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text', unique: true }] });
    const load = startLoad(first);
    await waitFor(() => load.acknowledged.length >= 300, { message: '300 acknowledged inserts' });
    expect(await first.stop()).toBe(0);
    await load.done;
    for (const failure of load.failures) expect(['SHUTTING_DOWN', 'CONNECTION_ERROR']).toContain(failure.codeName);
    expect(existsSync(first.socketPath)).toBe(false);
    expect(existsSync(first.pidFile)).toBe(false);
    // The checkpoint on shutdown folded the WAL into the database file.
    expect(existsSync(`${first.databasePath}-wal`)).toBe(false);

    const second = await startDriverProcess({ dir: first.dir });
    const stored = await storedLabels(second);
    expect(load.acknowledged.filter((label) => !stored.has(label))).toEqual([]);
    expect(first.output()).toContain('stopped');
  });
});
