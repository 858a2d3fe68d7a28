import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseClient } from '../../../src/db/database-client.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { DRIVER_TARGETS, type DriverHandle } from '../../helpers/driver.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';

const OWNER = { client: 'guard-suite-owner', role: 'owner' as const };

const DEFINITION = {
  version: '1',
  tables: [
    { name: 'guarded', protected: true, columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] },
    { name: 'open_notes', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] },
  ],
};

// Issue 14, case 3 (the driver's part): raw SQL stays inside the database, and the
// server's own tables are changed by the server's own connections only.
describe.each(DRIVER_TARGETS)('execute guards and protected tables on the %s', (_label, start, traits) => {
  let driver: DriverHandle;
  let owner: DatabaseClient;
  let stranger: DatabaseClient;

  /** What was acknowledged is all there, and the driver answers both clients. */
  async function intact(): Promise<void> {
    expect((await stranger.select('guarded', { order_by: ['id'] })).data).toEqual([{ id: 1, label: 'kept' }]);
    expect((await owner.select('open_notes', { order_by: ['id'] })).data).toEqual([{ id: 1, label: 'anyone' }]);
    expect(await stranger.ping()).toMatchObject({ pong: true });
  }

  beforeAll(async () => {
    driver = await start();
    owner = driver.client({ hello: OWNER });
    stranger = driver.client();
    expect(await owner.syncSchema(DEFINITION)).toMatchObject({ protected_tables: ['guarded'] });
    await owner.insert('guarded', { id: 1, label: 'kept' });
    await stranger.insert('open_notes', { id: 1, label: 'anyone' });
  });

  it('refuses, for every caller, raw SQL that reaches past the database or changes durability, locking or session settings', async () => {
    const outside = join(driver.dir, 'outside.db');
    const refusals =
      traits.driver === 'sqlite'
        ? [`ATTACH DATABASE '${outside}' AS outside`, `VACUUM INTO '${outside}'`, 'PRAGMA synchronous=OFF', 'PRAGMA query_only=1', 'PRAGMA locking_mode=EXCLUSIVE', 'DETACH main']
        : [`COPY open_notes TO '${outside}'`, "SELECT pg_read_file('/etc/hostname')", 'SET synchronous_commit = off', 'SET default_transaction_read_only = on', 'ALTER SYSTEM SET fsync = off'];
    for (const client of [owner, stranger]) {
      for (const sql of refusals) {
        const error = await rejectionOf(client.execute(sql));
        expect(error.code, sql).toBe(ErrorCode.PERMISSION_DENIED);
        expect(error.data).toMatchObject({ field: 'params.sql' });
      }
    }
    expect(existsSync(outside)).toBe(false);
    // The settings the driver reports are still the ones in force, and writes still work.
    expect((await stranger.stats()).driver).toMatchObject(traits.driverStats);
    await stranger.update('open_notes', { id: 1 }, { label: 'anyone' });
    if (traits.driver === 'sqlite') expect((await stranger.execute('PRAGMA synchronous')).data).toEqual([{ synchronous: 2 }]);
    await intact();
  });

  it('lets a stranger read protected tables but not change them; the owner may', async () => {
    const denied = async (work: Promise<unknown>) => {
      const error = await rejectionOf(work);
      expect(error.code).toBe(ErrorCode.PERMISSION_DENIED);
      expect(error.message).toMatch(/"guarded" is protected/);
      return error;
    };
    expect((await denied(stranger.insert('guarded', { id: 2, label: 'sneaked' }))).data).toMatchObject({ field: 'params.table_name', table: 'guarded' });
    await denied(stranger.insertMany('guarded', [{ id: 3 }]));
    await denied(stranger.update('guarded', { id: 1 }, { label: 'changed' }));
    await denied(stranger.delete('guarded', { id: 1 }));
    await denied(stranger.dropTable('guarded'));
    await denied(stranger.execute('DELETE FROM guarded'));
    await denied(stranger.execute('DROP TABLE guarded'));
    await denied(stranger.createTable({ name: 'guarded', columns: [{ name: 'id', type: 'integer' }], indexes: [{ name: 'guarded_label', columns: ['id'] }] }));
    const inBatch = await denied(stranger.batch([{ method: 'insert', params: { table_name: 'open_notes', data: { id: 2 } } }, { method: 'execute', params: { sql: 'DELETE FROM guarded' } }]));
    expect(inBatch.data).toMatchObject({ field: 'params.operations[1].params.sql' });
    // Neither may it unprotect them, nor protect tables of its own.
    await denied(stranger.syncSchema({ tables: [{ ...DEFINITION.tables[0]!, protected: false }] }));
    const protecting = await rejectionOf(stranger.createTable({ name: 'mine', protected: true, columns: [{ name: 'id', type: 'integer' }] }));
    expect(protecting.code).toBe(ErrorCode.PERMISSION_DENIED);
    // Reads are everybody's, raw ones included; a dry run changes nothing and is allowed.
    expect((await stranger.execute('SELECT count(*) AS n FROM guarded')).data).toEqual([{ n: 1 }]);
    expect(await stranger.syncSchema({ tables: [{ ...DEFINITION.tables[0]!, protected: false }] }, { dry_run: true })).toMatchObject({ dry_run: true, protected_tables: [] });
    await intact();

    // The owner changes them, and protects a new table of its own the same way.
    await owner.update('guarded', { id: 1 }, { label: 'changed by the owner' });
    await owner.update('guarded', { id: 1 }, { label: 'kept' });
    expect(await owner.createTable({ name: 'owned', protected: true, columns: [{ name: 'id', type: 'integer' }] })).toMatchObject({ created: true });
    expect((await rejectionOf(stranger.insert('owned', { id: 1 }))).message).toMatch(/"owned" is protected/);
    expect(await owner.dropTable('owned')).toMatchObject({ dropped: true });
    expect(await stranger.createTable({ name: 'owned', columns: [{ name: 'id', type: 'integer' }] })).toMatchObject({ created: true });
    expect(await stranger.insert('owned', { id: 1 })).toBeDefined();
    await intact();
  });

  it('refuses the driver\'s own meta table to everybody, and a role other than owner', async () => {
    for (const client of [owner, stranger]) {
      expect((await rejectionOf(client.execute("UPDATE _code_analysis_meta SET value = '[]'"))).code).toBe(ErrorCode.PERMISSION_DENIED);
      expect((await rejectionOf(client.insert('_code_analysis_meta', { key: 'k', value: 'v' }))).code).toBe(ErrorCode.PERMISSION_DENIED);
    }
    const rpc = driver.rpc({ poolSize: 1 });
    const role = await rejectionOf(rpc.call('hello', { client: 'x', role: 'admin' }));
    expect(role.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(role.message).toContain('params.role');
    expect(await stranger.getSchemaVersion()).toEqual({ version: '1' });
    await intact();
  });
});
