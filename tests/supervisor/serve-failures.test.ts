import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { runCli } from '../helpers/cli.ts';
import { startServe, testConfig, type ServeHandle } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * Issue 14, case 7: failures that used to hide. Each over the real serve, driver and
 * command line; each ends with the server answering and the acknowledged rows there.
 */

const ITEMS = { name: 'items', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'label', type: 'text' }] };

async function seed(serve: ServeHandle, label: string): Promise<void> {
  const db = connectDatabase(nodeRuntime, { socketPath: serve.paths.socket, timeoutMs: 10_000 });
  try {
    await db.createTable(ITEMS);
    await db.insert('items', { id: 1, label });
  } finally {
    await db.close();
  }
}

async function rows(serve: ServeHandle): Promise<unknown> {
  return (await serve.rpc('select', { table_name: 'items' })).result;
}

describe('failures that hide', () => {
  it('a deleted driver socket is noticed by a fresh connect and the driver restarted; a config file with a BOM is read', async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, 'code-analysis.json'), `\uFEFF${JSON.stringify(testConfig())}`);
    const serve = await startServe({ dir });
    await seed(serve, 'before the socket went');
    const first = await serve.service('driver');

    await rm(serve.paths.socket);
    const restarted = await waitFor(
      async () => {
        const driver = await serve.service('driver');
        return driver.state === 'running' && driver.pid !== first.pid && (await nodeRuntime.fs.exists(serve.paths.socket)) ? driver : undefined;
      },
      { timeoutMs: 30_000, message: 'the driver to be restarted on a new socket' },
    );
    expect(restarted.restarts).toBe(1);
    expect(restarted.last_error).toMatch(/new clients cannot connect: no socket file at .*driver\.sock; exited with code 0$/);
    const ping = await runCli(['rpc', 'ping', '--config', serve.configFile]);
    expect(ping.code, ping.stderr).toBe(0);
    expect(JSON.parse(ping.stdout)).toMatchObject({ pong: true, pid: restarted.pid });
    expect((await serve.get('/health')).status).toBe(200);
    expect(await rows(serve)).toEqual({ data: [{ id: 1, label: 'before the socket went' }] });
  });

  it('rpc and the one-shot commands give up at once, with the reason, when nothing listens on the socket', async () => {
    const dir = await makeTempDir();
    const missing = await runCli(['rpc', 'ping', '--data-dir', join(dir, 'data'), '--timeout-ms', '600000']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr).error).toMatchObject({
      code: 10,
      name: 'CONNECTION_ERROR',
      message: `cannot reach a driver: no socket file at ${join(dir, 'data', 'run', 'driver.sock')} (is the server running? "code-analysis serve" starts it)`,
    });
    // A file left where the socket was: nothing accepts on it.
    await mkdir(join(dir, 'data', 'run'), { recursive: true });
    await writeFile(join(dir, 'data', 'run', 'driver.sock'), '');
    const stale = await runCli(['rpc', 'ping', '--data-dir', join(dir, 'data'), '--timeout-ms', '600000']);
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stderr).error.message).toMatch(/^cannot reach a driver: nothing listens on .*driver\.sock \(.+\)/);
    // search then starts its own transient driver (which replaces the stale file) and answers.
    const search = await runCli(['search', 'anything', '--data-dir', join(dir, 'data')]);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toBe('no symbol matches "anything"\n');
  });

  it('a transient driver that cannot open its database prints why, not only its exit code', async () => {
    const dir = await makeTempDir();
    const database = join(dir, 'not-a-database.db');
    await writeFile(database, 'this is plain text, long enough to be read as a database header and refused by SQLite');
    const search = await runCli(['search', 'anything', '--data-dir', join(dir, 'data')], { cwd: dir, env: { CODE_ANALYSIS_DATABASE_PATH: database } });
    expect(search.code).toBe(1);
    expect(search.stderr).toMatch(/driver did not start: exited with code 1 before it was ready: file is not a database \(see .*driver\.log\)/);
  });

  it('status exits 1 naming a failed service; the server still answers and the acknowledged row is kept', async () => {
    const serve = await startServe({ config: testConfig({ supervisor: { max_restarts: 0 } }) });
    await seed(serve, 'kept');
    expect((await runCli(['status', '--config', serve.configFile])).code).toBe(0);
    const driver = await serve.service('driver');
    nodeRuntime.kill(driver.pid!, 'SIGKILL');
    await waitFor(async () => (await serve.service('driver')).state === 'failed', { message: 'the driver to be marked failed' });
    const status = await runCli(['status', '--config', serve.configFile]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/driver\s+failed/);
    expect(status.stderr).toContain('code-analysis: driver failed: killed by SIGKILL; gave up after 0 restarts within 60000 ms');
    expect(status.stderr).toMatch(/code-analysis: the driver socket does not answer: /);
    const json = JSON.parse((await runCli(['status', '--config', serve.configFile, '--json'])).stdout) as { problems: string[] };
    expect(json.problems[0]).toMatch(/^driver failed: /);
    expect((await serve.get('/status')).status).toBe(200);
    expect((await serve.get('/health')).status).toBe(503);

    // The row outlived the failure: a new serve on the same data has it.
    expect((await runCli(['stop', '--config', serve.configFile])).code).toBe(0);
    const next = await startServe({ dir: serve.dir, config: testConfig({ server: { rpc: 'read' } }) });
    expect(await rows(next)).toEqual({ data: [{ id: 1, label: 'kept' }] });
  });

  it('refuses with exit 2, naming the key, a data_dir that is a file, a database.path that is a directory, and a __proto__ key', async () => {
    const dir = await makeTempDir();
    deferCleanup(() => rm(dir, { recursive: true, force: true }));
    const aFile = join(dir, 'a-file');
    await writeFile(aFile, 'x');
    await mkdir(join(dir, 'a-dir'));
    const cases: Array<[Record<string, unknown> | string, string]> = [
      [{ data_dir: 'a-file' }, `invalid config: data_dir: ${aFile} is a file, not a directory (from ${join(dir, 'code-analysis.json')})`],
      [{ database: { path: join(dir, 'a-dir') } }, `invalid config: database.path: ${join(dir, 'a-dir')} is a directory, not a database file`],
      ['{"server": {"__proto__": {"rpc": "write"}}}', 'server.__proto__: the key "__proto__" is not allowed'],
    ];
    for (const [config, message] of cases) {
      await writeFile(join(dir, 'code-analysis.json'), typeof config === 'string' ? config : JSON.stringify(config));
      const serve = await runCli(['serve', '--config', join(dir, 'code-analysis.json')], { cwd: dir });
      expect(serve.code, serve.stderr).toBe(2);
      expect(serve.stderr).toContain(message);
      expect(await nodeRuntime.fs.exists(join(dir, 'data', 'run', 'serve.pid'))).toBe(false);
    }
  });
});
