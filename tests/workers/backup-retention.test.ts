import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { backupFileName, PARTIAL_SUFFIX, pruneBackups } from '../../src/workers/backup-retention.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

describe('backup names and retention', () => {
  it('names a backup by its UTC time, to the second, so names sort by time', () => {
    expect(backupFileName(new Date('2025-03-04T05:06:07.890Z'))).toBe('code_analysis-20250304T050607Z.db');
    const times = ['2025-12-31T23:59:59Z', '2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'].map((t) => new Date(t));
    const names = times.map(backupFileName);
    const byName = [...names].sort();
    const byTime = [...times].sort((a, b) => a.getTime() - b.getTime()).map(backupFileName);
    expect(byName).toEqual(byTime);
  });

  it('keeps the newest backups, deletes older ones and leftover partial files, and leaves other files alone', async () => {
    const dir = await makeTempDir();
    const backups = ['2025-01-01T00:00:01Z', '2025-01-01T00:00:03Z', '2025-01-01T00:00:02Z', '2024-06-01T00:00:00Z'].map((t) =>
      backupFileName(new Date(t)),
    );
    const partial = `${backupFileName(new Date('2025-01-01T00:00:04Z'))}${PARTIAL_SUFFIX}`;
    const others = ['schema-sync-backup.db', 'notes.txt', 'code_analysis-latest.db', 'other.db.partial'];
    for (const name of [...backups, partial, ...others]) writeFileSync(join(dir, name), name);

    const result = await pruneBackups(nodeRuntime.fs, dir, 2);
    expect(result.kept).toEqual(['code_analysis-20250101T000002Z.db', 'code_analysis-20250101T000003Z.db']);
    expect(result.removed.sort()).toEqual(
      ['code_analysis-20240601T000000Z.db', 'code_analysis-20250101T000001Z.db', 'code_analysis-20250101T000004Z.db.partial'].sort(),
    );
    expect(readdirSync(dir).sort()).toEqual([...result.kept, ...others].sort());
  });

  it('removes nothing when there are no more backups than it keeps', async () => {
    const dir = await makeTempDir();
    writeFileSync(join(dir, backupFileName(new Date(0))), '');
    expect(await pruneBackups(nodeRuntime.fs, dir, 3)).toEqual({ kept: ['code_analysis-19700101T000000Z.db'], removed: [] });
  });
});
