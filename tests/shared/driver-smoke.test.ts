import { it } from 'vitest';
import { startDriverProcess } from '../helpers/driver.ts';
import { driverSmokeSpec } from './driver-smoke.ts';
import { vectorSearchSmokeSpec } from './vector-search-smoke.ts';

it('the shared smoke specs pass against a driver under Node (better-sqlite3)', async () => {
  const driver = await startDriverProcess();
  await driverSmokeSpec(driver.client(), 'better-sqlite3');
  await vectorSearchSmokeSpec(driver.client());
});
