import { expect, it } from 'vitest';
import * as driver from '../../src/driver/index.ts';
import { METHODS } from '../../src/driver/methods.ts';
import { SqliteDriver } from '../../src/driver/sqlite/sqlite-driver.ts';

it('src/driver/index.ts exports the driver contract and the SQLite implementation', () => {
  expect(driver.SqliteDriver).toBe(SqliteDriver);
  expect(driver.METHODS).toBe(METHODS);
  expect(Object.keys(driver.params)).toContain('SelectParams');
  expect(driver.defaultPidFile('/run/driver.sock')).toBe('/run/driver.pid');
  expect(driver.defaultPidFile('/run/driver')).toBe('/run/driver.pid');
  expect(driver.PORTABLE_TYPES).toEqual(['integer', 'real', 'text', 'blob', 'boolean', 'json', 'timestamp']);
  expect(driver.isReadOnlyStatement('SELECT 1')).toBe(true);
  expect(driver.META_TABLE).toBe('_code_analysis_meta');
  for (const name of ['runDriverProcess', 'DriverService', 'toPortableType', 'fromDatabase', 'toDatabase', 'parseTimestamp', 'requireTable', 'guardExecute', 'methodSpec', 'ProtectedTables', 'quantizeInt8', 'dequantizeInt8', 'cosineDistanceInt8', 'normalized']) {
    expect(typeof (driver as Record<string, unknown>)[name], name).toBe('function');
  }
});
