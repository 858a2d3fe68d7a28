import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../src/ipc/errors.ts';
import { type DriverHandle, SQLITE_TARGETS } from '../../helpers/driver.ts';
import { waitFor } from '../../helpers/wait-for.ts';

type Stats = { queue: { depth: { total: number } }; driver: { groups: number; grouped_writes: number } };

/**
 * Sixteen writers on sixteen connections queue up behind an open transaction, so they all
 * become runnable at the same moment and share one group commit.
 */
async function sixteenWriters(driver: DriverHandle) {
  const observer = driver.rpc({ poolSize: 1 });
  await observer.call('create_table', {
    schema: { name: 'grouped', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text', unique: true }] },
  });
  await observer.call('insert', { table_name: 'grouped', data: { label: 'taken' } });
  const before = await observer.call<Stats>('stats');
  const owner = driver.rpc({ poolSize: 1 });
  const { transaction_id } = await owner.call<{ transaction_id: string }>('begin_transaction');
  const writes = Array.from({ length: 16 }, (_, i) =>
    driver
      .rpc({ poolSize: 1 })
      .call<{ row_id: number }>('insert', { table_name: 'grouped', data: { label: i === 7 ? 'taken' : `writer-${i}` } })
      .then(
        (result) => ({ ok: true as const, result }),
        (error: RpcError) => ({ ok: false as const, error }),
      ),
  );
  await waitFor(async () => (await observer.call<Stats>('stats')).queue.depth.total === 16, { message: '16 queued writes' });
  await owner.call('commit_transaction', { transaction_id });
  const outcomes = await Promise.all(writes);
  const after = await observer.call<Stats>('stats');
  const { data } = await observer.call<{ data: Array<{ label: string }> }>('select', { table_name: 'grouped', columns: ['label'] });
  return { outcomes, before, after, labels: data.map((row) => row.label).sort() };
}

// SQLite only by nature: PostgreSQL commits every autocommit write on its own (no group commit).
describe.each(SQLITE_TARGETS)('group commit on the %s', (_label, start) => {
  it('one failing insert gets its own error and every other insert of the group is committed', async () => {
    const driver = await start();
    const { outcomes, before, after, labels } = await sixteenWriters(driver);
    const failed = outcomes.filter((outcome) => !outcome.ok);
    expect(failed).toHaveLength(1);
    expect(outcomes[7]!.ok).toBe(false);
    const error = (outcomes[7] as { error: RpcError }).error;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.data?.database_code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(15);
    // All sixteen ran in one group: one more group, sixteen more grouped writes.
    expect(after.driver.groups - before.driver.groups).toBe(1);
    expect(after.driver.grouped_writes - before.driver.grouped_writes).toBe(16);
    const expected = ['taken', ...Array.from({ length: 16 }, (_, i) => `writer-${i}`).filter((label) => label !== 'writer-7')].sort();
    expect(labels).toEqual(expected);
  });

  it('with group commit off each write commits alone, with the same outcomes', async () => {
    const driver = await start({ settings: { groupCommit: false } });
    const { outcomes, after, labels } = await sixteenWriters(driver);
    expect(outcomes.filter((outcome) => !outcome.ok)).toHaveLength(1);
    expect(after.driver.groups).toBe(0);
    expect(labels).toHaveLength(16);
  });
});
