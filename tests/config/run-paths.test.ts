import { describe, expect, it } from 'vitest';
import { runPaths } from '../../src/config/run-paths.ts';

describe('runPaths', () => {
  it('puts sockets and PID files in <data_dir>/run, logs in <data_dir>/logs (DESIGN §8)', () => {
    const paths = runPaths({ data_dir: '/srv/ca' });
    expect(paths).toMatchObject({
      dataDir: '/srv/ca',
      runDir: '/srv/ca/run',
      logsDir: '/srv/ca/logs',
      backupsDir: '/srv/ca/backups',
      socket: '/srv/ca/run/driver.sock',
      servePid: '/srv/ca/run/serve.pid',
      effectiveConfig: '/srv/ca/run/config.json',
    });
    expect(paths.pidFile('indexer')).toBe('/srv/ca/run/indexer.pid');
    expect(paths.logFile('driver')).toBe('/srv/ca/logs/driver.log');
  });
});
