import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.ts';
import { CODE_SCHEMA } from '../../src/db/code-schema.ts';
import { ErrorCode } from '../../src/ipc/errors.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { runCli } from '../helpers/cli.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { startServe, testConfig } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

// Issue 14, case 3 over a real serve: `/rpc` forwards on a connection that is never the
// owner, while the server's own processes (the indexer worker, one-shot commands) are.
describe('protected tables and the execute guards in a real serve', () => {
  it('refuses changes to protected tables and raw SQL past the database over /rpc, while the indexer (the owner) keeps writing them', async () => {
    const dir = await makeTempDir();
    const root = join(dir, 'py-sample');
    await cp(join(REPO_ROOT, 'test_data/projects/py-sample'), root, { recursive: true });
    const config = testConfig({ workers: { maintenance: { enabled: false }, indexer: { scan_interval_ms: 3_600_000 } } });
    const serve = await startServe({ dir, config, args: ['--watch', root] });
    const projectFiles = async () => {
      const projects = (await serve.rpc('list_projects')).result as { projects: Array<{ id: number }> } | undefined;
      const id = projects?.projects[0]?.id;
      if (id === undefined) return [];
      return ((await serve.rpc('list_files', { project: id })).result as { files: Array<{ path: string; hash: string }> }).files;
    };
    await waitFor(async () => (await projectFiles()).some((file) => file.path === 'sample/util.py'), { timeoutMs: 30_000, message: 'the first scan' });

    // The server's own tables become protected, as the code schema marks them.
    const owner = connectDatabase(nodeRuntime, { socketPath: serve.paths.socket, hello: { client: 'test-owner', role: 'owner' } });
    deferCleanup(() => owner.close());
    const protectedSchema = { tables: CODE_SCHEMA.tables.map((table) => ({ ...table, protected: true })) };
    expect((await owner.syncSchema(protectedSchema)).protected_tables).toEqual(expect.arrayContaining(['files', 'projects', 'symbols']));

    const outside = join(dir, 'outside.db');
    for (const [method, params] of [
      ['insert', { table_name: 'files', data: { project_id: 1, path: 'x', language: 'python', size: 1, mtime_ms: 1, hash: 'h', lines: 1, indexed_at: '2024-01-01T00:00:00Z' } }],
      ['update', { table_name: 'symbols', where: { id: 1 }, data: { name: 'renamed' } }],
      ['delete', { table_name: 'projects', where: { id: 1 } }],
      ['drop_table', { table_name: 'symbols' }],
      ['execute', { sql: 'DROP TABLE symbols' }],
      ['execute', { sql: 'DELETE FROM symbols_fts' }],
      ['execute', { sql: `ATTACH DATABASE '${outside}' AS outside` }],
      ['execute', { sql: `VACUUM INTO '${outside}'` }],
      ['execute', { sql: 'PRAGMA synchronous=OFF' }],
    ] as const) {
      const answer = await serve.rpc(method, params);
      expect(answer.error?.code, `${method} ${JSON.stringify(params)}`).toBe(ErrorCode.PERMISSION_DENIED);
    }
    expect(existsSync(outside)).toBe(false);
    // Reading them over /rpc is fine.
    expect(((await serve.rpc('execute', { sql: 'SELECT count(*) AS n FROM symbols' })).result as { data: Array<{ n: number }> }).data[0]!.n).toBeGreaterThan(0);

    // The indexer worker is the owner: an edit is indexed into the protected tables.
    const before = (await projectFiles()).find((file) => file.path === 'sample/util.py')!;
    const util = join(root, 'sample/util.py');
    await writeFile(util, `${await readFile(util, 'utf8')}\ndef added_later(x):\n    return x\n`);
    await waitFor(async () => (await projectFiles()).find((file) => file.path === 'sample/util.py')?.hash !== before.hash, {
      timeoutMs: 30_000,
      message: 'the edit to be indexed by the worker',
    });
    // So is a one-shot command going through the running server's driver.
    const index = await runCli(['index', root, '--config', serve.configFile]);
    expect(index.code, index.stderr).toBe(0);

    expect((await serve.get('/health')).status).toBe(200);
    expect((await serve.service('driver')).restarts).toBe(0);
    expect((await serve.service('worker-indexer')).restarts).toBe(0);
  });
});
