import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { runPaths } from '../../src/config/run-paths.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { driverService } from '../../src/supervisor/services.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/** The driver's spec for a config given by the --database flag, in an empty working directory. */
async function driverSpecFor(database: string) {
  const cwd = await makeTempDir();
  const { config } = await loadConfig({ ...nodeRuntime, cwd: () => cwd, env: () => undefined }, { flags: { database } });
  const rpc = { call: () => Promise.reject(new Error('not called')) };
  return driverService(nodeRuntime, { self: ['code-analysis'], supervisorPid: 1 }, config, runPaths(config), rpc);
}

describe('driverService', () => {
  it('starts a SQLite driver without NODE_EXTRA_CA_CERTS (no TLS, and Node parses the file at every start)', async () => {
    expect((await driverSpecFor('code.db')).withoutEnv).toEqual(['NODE_EXTRA_CA_CERTS']);
  });

  it('keeps NODE_EXTRA_CA_CERTS for a PostgreSQL driver, which may connect through TLS', async () => {
    expect((await driverSpecFor('postgres://code@127.0.0.1:5432/code')).withoutEnv).toEqual([]);
  });
});
