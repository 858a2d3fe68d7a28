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
  for (const name of ['runDriverProcess', 'DriverService', 'toPortableType', 'fromDatabase', 'toDatabase', 'parseTimestamp', 'requireTable']) {
    expect(typeof (driver as Record<string, unknown>)[name], name).toBe('function');
  }
});
