import { expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { runCli } from '../helpers/cli.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { describeWithPostgres } from '../helpers/postgres-suite.ts';
import { startServe, testConfig } from '../helpers/serve.ts';
import { waitFor } from '../helpers/wait-for.ts';

const ITEMS = { name: 'items', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] };

describeWithPostgres('serve on PostgreSQL', () => {
  it('process mode: /health, POST /rpc, status, kill -9 of the driver survived with no acknowledged write lost, stop', async () => {
    const server = await startPostgres();
    const url = await server.createDatabase('serve');
    const serve = await startServe({ config: testConfig({ server: { rpc: 'write' } }), args: ['--database', url] });
    expect(serve.stdout()).toContain('(postgres)');
    const health = await serve.get('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', driver: { driver: 'postgres' } });
    expect((await serve.status()).services.map((service) => service.name)).toEqual(['driver', 'http']);
    expect((await serve.rpc('create_table', { schema: ITEMS })).result).toMatchObject({ success: true });
    expect((await serve.rpc('insert', { table_name: 'items', data: { id: 1, label: 'one' } })).result).toEqual({ row_id: 1 });
    expect((await serve.rpc('select', { table_name: 'items' })).result).toEqual({ data: [{ id: 1, label: 'one' }] });

    const db = connectDatabase(nodeRuntime, { socketPath: serve.paths.socket, timeoutMs: 5_000 });
    deferCleanup(() => db.close());
    const acknowledged: number[] = [];
    let writing = true;
    const writer = (async () => {
      for (let id = 2; writing; id++) {
        try {
          await db.insert('items', { id, label: `row ${id}` });
          acknowledged.push(id);
        } catch {
          // Pace the retries of a writer whose driver is down; not a synchronisation point.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })();
    await waitFor(() => acknowledged.length >= 50, { message: '50 acknowledged writes' });
    const first = await serve.service('driver');
    nodeRuntime.kill(first.pid!, 'SIGKILL');
    await waitFor(
      async () => {
        const driver = await serve.service('driver');
        return driver.state === 'running' && driver.pid !== first.pid;
      },
      { message: 'the driver restarted' },
    );
    await waitFor(async () => (await serve.get('/health')).status === 200, { message: '/health 200 again' });
    const before = acknowledged.length;
    await waitFor(() => acknowledged.length >= before + 50, { message: 'writes to resume' });
    writing = false;
    await writer;
    const stored = new Set((await db.select<{ id: number }>('items', { columns: ['id'] })).data.map((row) => row.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);

    const status = await runCli(['status', '--config', serve.configFile]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/driver\s+running\s+\d+\s+\S+\s+1\s+ok/);
    const stop = await runCli(['stop', '--config', serve.configFile]);
    expect(stop.code).toBe(0);
    expect((await serve.exited).code).toBe(0);
  });

  it('PostgreSQL down: calls fail fast with CONNECTION_ERROR and /health says 503; once it is back everything recovers without a restart', async () => {
    const server = await startPostgres();
    const url = await server.createDatabase('outage');
    const serve = await startServe({ config: testConfig({ server: { rpc: 'write' } }), args: ['--database', url] });
    expect((await serve.rpc('create_table', { schema: ITEMS })).result).toMatchObject({ success: true });

    await server.stop();
    const health = await serve.get('/health');
    expect(health.status).toBe(503);
    expect(((await health.json()) as { status: string; reason: string }).status).toBe('unavailable');
    const selects = async () => ((await serve.rpc('stats')).result as { methods: { select?: { count: number } } }).methods.select?.count ?? 0;
    const before = await selects();
    const call = await serve.rpc('select', { table_name: 'items' });
    expect(call.error?.code).toBe(10);
    // Failing fast: the driver's answer reached the caller; nobody sent the read again until a deadline.
    expect((await selects()) - before).toBe(1);
    // The supervisor's liveness ping does not depend on PostgreSQL: the driver is not restarted for it.
    expect((await serve.service('driver')).state).toBe('running');

    await server.restart();
    await waitFor(async () => (await serve.get('/health')).status === 200, { message: '/health 200 after PostgreSQL is back' });
    expect((await serve.rpc('insert', { table_name: 'items', data: { id: 1, label: 'after' } })).result).toEqual({ row_id: 1 });
    expect((await serve.service('driver')).restarts).toBe(0);
  });

  it('in_process mode: no driver child, the serve process talks to PostgreSQL itself', async () => {
    const server = await startPostgres();
    const url = await server.createDatabase('inproc');
    const serve = await startServe({ config: testConfig({ database: { type: 'postgres', url, mode: 'in_process' }, server: { rpc: 'write' } }) });
    expect((await serve.get('/health')).status).toBe(200);
    const status = await serve.status();
    expect(status.services.map((service) => [service.name, service.pid])).toEqual([
      ['driver', serve.child.pid],
      ['http', serve.child.pid],
    ]);
    expect(status.services[0]!.details).toEqual({ mode: 'in_process' });
    expect((await serve.rpc('create_table', { schema: ITEMS })).result).toMatchObject({ success: true });
    expect((await serve.rpc('insert', { table_name: 'items', data: { id: 3, label: 'three' } })).result).toEqual({ row_id: 3 });
    expect((await serve.rpc('select', { table_name: 'items' })).result).toEqual({ data: [{ id: 3, label: 'three' }] });
    expect(await nodeRuntime.fs.exists(serve.paths.socket)).toBe(false);
    const stop = await runCli(['stop', '--config', serve.configFile]);
    expect(stop.code).toBe(0);
    expect((await serve.exited).code).toBe(0);
  });
});
