import { describe, expect, it } from 'vitest';
import { resolveDatabasePath, resolveLayerPaths } from '../../src/config/paths.ts';

describe('config path resolution', () => {
  it('resolves data_dir and watch dirs against the base, database.path only when asked', () => {
    const layer = { data_dir: 'd', database: { path: 'x.db' }, workers: { indexer: { watch_dirs: ['src', '/abs', 5] } } };
    expect(resolveLayerPaths(layer, '/base', { databasePath: false })).toEqual({
      data_dir: '/base/d',
      database: { path: 'x.db' },
      workers: { indexer: { watch_dirs: ['/base/src', '/abs', 5] } },
    });
    expect(resolveLayerPaths(layer, '/base', { databasePath: true })).toMatchObject({ database: { path: '/base/x.db' } });
  });

  it('leaves values that are not paths for validation to report', () => {
    const layer = { data_dir: '', database: { path: 3 }, workers: { indexer: { watch_dirs: 'src' } } };
    expect(resolveLayerPaths(layer, '/base', { databasePath: true })).toEqual(layer);
  });

  it('resolves a relative database.path against the final data_dir', () => {
    expect(resolveDatabasePath({ data_dir: '/d', database: { path: 'x.db' } })).toEqual({ data_dir: '/d', database: { path: '/d/x.db' } });
    expect(resolveDatabasePath({ data_dir: '/d', database: { path: '/abs.db' } })).toEqual({ data_dir: '/d', database: { path: '/abs.db' } });
    expect(resolveDatabasePath({ data_dir: 4, database: { path: 'x.db' } })).toEqual({ data_dir: 4, database: { path: 'x.db' } });
  });
});
