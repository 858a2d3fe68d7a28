import type { DatabaseClient } from '../../../src/db/database-client.ts';

/** The driver's group-commit counters (`stats` → driver.groups / driver.grouped_writes). */
export interface GroupCounters {
  groups: number;
  grouped_writes: number;
}

export async function readGroupCounters(client: DatabaseClient): Promise<GroupCounters> {
  const stats = await client.stats();
  const driver = stats.driver as Partial<GroupCounters> | undefined;
  if (typeof driver?.groups !== 'number' || typeof driver.grouped_writes !== 'number') {
    throw new Error(`stats has no driver.groups / driver.grouped_writes: ${JSON.stringify(stats)}`);
  }
  return { groups: driver.groups, grouped_writes: driver.grouped_writes };
}

/** What happened between two readings; the mean group size is null when nothing was grouped. */
export function groupDelta(before: GroupCounters, after: GroupCounters) {
  const groups = after.groups - before.groups;
  const grouped_writes = after.grouped_writes - before.grouped_writes;
  return { groups, grouped_writes, mean_group_size: groups === 0 ? null : Number((grouped_writes / groups).toFixed(2)) };
}
