import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { convertLegacy, isLegacyLayout } from '../../src/config/legacy.ts';
import { loadConfig } from '../../src/config/load.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const CONFIGS = join(REPO_ROOT, 'test_data', 'configs');
const FILE = '/etc/code-analysis/config.json';

function convertError(raw: Record<string, unknown>): string {
  try {
    convertLegacy(raw, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('the example configs in test_data/configs', () => {
  const cases = [
    { file: 'canonical.json', path: join(CONFIGS, 'var', 'code-analysis', 'index', 'code_analysis.db'), old: [] },
    { file: 'legacy-db-path.json', path: join(CONFIGS, 'data', 'code_analysis.db'), old: ['code_analysis.db_path'] },
    {
      file: 'legacy-driver.json',
      path: join(CONFIGS, 'storage', 'code_analysis.sqlite'),
      old: ['code_analysis.database.driver.type', 'code_analysis.database.driver.config.path'],
    },
    {
      file: 'legacy-workers.json',
      path: '/var/lib/code-analysis/analysis.db',
      old: ['code_analysis.database.type', 'code_analysis.database.path', 'code_analysis.workers.file_watcher.scan_interval'],
    },
  ];

  for (const { file, path, old } of cases) {
    it(`${file} loads to the database path it describes`, async () => {
      const cwd = await makeTempDir();
      const loaded = await loadConfig({ ...nodeRuntime, cwd: () => cwd, env: () => undefined }, { configPath: join(CONFIGS, file) });
      expect(loaded.config.database.type).toBe('sqlite');
      expect(loaded.config.database.path).toBe(path);
      if (old.length === 0) expect(loaded.warnings).toEqual([]);
      for (const key of old) expect(loaded.warnings.some((warning) => warning.startsWith(`${key} is an old layout key; use `))).toBe(true);
    });
  }

  it('carries watch dirs, scan interval and log level over from the old layouts', async () => {
    const cwd = await makeTempDir();
    const runtime = { ...nodeRuntime, cwd: () => cwd, env: () => undefined };
    const driver = await loadConfig(runtime, { configPath: join(CONFIGS, 'legacy-driver.json') });
    expect(driver.config.workers.indexer).toEqual({ enabled: true, watch_dirs: [join(REPO_ROOT, 'test_data', 'projects', 'web')], scan_interval_ms: 120_000 });
    expect(driver.config.log.level).toBe('warn');
    expect(driver.warnings.at(-1)).toContain('code_analysis.worker.watch_dirs.0.ignore_patterns');
    const workers = await loadConfig(runtime, { configPath: join(CONFIGS, 'legacy-workers.json') });
    expect(workers.config.workers.indexer).toEqual({ enabled: true, watch_dirs: ['/srv/src/billing'], scan_interval_ms: 15_000 });
    expect(workers.config.server.port).toBe(15010);
    expect(workers.warnings.at(-1)).toMatch(/^old layout keys ignored \(no counterpart here\): .*code_analysis\.workers\.database\b/);
  });
});

describe('convertLegacy', () => {
  it('recognises an old file by its code_analysis section', () => {
    expect(isLegacyLayout({ code_analysis: {} })).toBe(true);
    expect(isLegacyLayout({ database: {} })).toBe(false);
  });

  it('prefers the driver section to db_path, as the old loader did, and says so', () => {
    const { value, warnings } = convertLegacy(
      { code_analysis: { db_path: 'a.db', database: { driver: { type: 'sqlite', config: { path: '/data/b.db' } } } } },
      FILE,
    );
    expect(value).toEqual({ database: { type: 'sqlite', path: '/data/b.db' } });
    expect(warnings).toContain('code_analysis.db_path is an old layout key; ignored in favour of code_analysis.database.driver.config.path');
  });

  it('indexes only when both the old watcher and indexer were on, and reads an empty dirs list quietly', () => {
    const { value, warnings } = convertLegacy(
      { code_analysis: { dirs: [], file_watcher: { enabled: true }, indexing_worker: { enabled: false } } },
      FILE,
    );
    expect(value).toEqual({ workers: { indexer: { enabled: false, watch_dirs: [] } } });
    expect(warnings.join('\n')).not.toContain('ignored');
  });

  it('joins watch dirs from every old place once each, relative to the file', () => {
    const { value } = convertLegacy(
      { code_analysis: { dirs: [{ id: '1', name: 'api', path: 'api' }], worker: { watch_dirs: ['api', '/srv/web'] } } },
      FILE,
    );
    expect(value).toEqual({ workers: { indexer: { watch_dirs: ['/etc/code-analysis/api', '/srv/web'] } } });
  });

  it('refuses values it cannot convert, naming the old key', () => {
    expect(convertError({ code_analysis: 'x' })).toBe(`invalid config: code_analysis: must be an object (got "x", from ${FILE})`);
    expect(convertError({ code_analysis: { db_path: 7 } })).toBe(
      `invalid config: code_analysis.db_path: must be a non-empty string (got 7, from ${FILE})`,
    );
    expect(convertError({ code_analysis: { database: { driver: { type: 'mysql' } } } })).toContain(
      'code_analysis.database.driver.type: must be sqlite or sqlite_proxy (got "mysql"',
    );
    expect(convertError({ code_analysis: { worker: { watch_dirs: 'src' } } })).toContain('code_analysis.worker.watch_dirs: must be an array');
    expect(convertError({ code_analysis: { worker: { watch_dirs: [{ id: 'x' }] } } })).toContain('code_analysis.worker.watch_dirs.0.path');
    expect(convertError({ code_analysis: { file_watcher: { enabled: 'yes' } } })).toContain('code_analysis.file_watcher.enabled: must be true or false');
    expect(convertError({ code_analysis: { file_watcher: { scan_interval: 0 } } })).toContain(
      'code_analysis.file_watcher.scan_interval: must be a positive number of seconds (got 0',
    );
    expect(convertError({ code_analysis: {}, data_dir: 'd', log: {} })).toBe(
      `invalid config: ${FILE} mixes the old layout (code_analysis) with canonical keys (data_dir, log); use one layout`,
    );
  });
});
