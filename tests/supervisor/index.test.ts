import { expect, it } from 'vitest';
import * as supervisor from '../../src/supervisor/index.ts';
import { ManagedService } from '../../src/supervisor/managed-service.ts';
import { runServe } from '../../src/supervisor/serve.ts';
import { Supervisor } from '../../src/supervisor/supervisor.ts';

it('src/supervisor/index.ts exports the supervisor API', () => {
  expect(supervisor.Supervisor).toBe(Supervisor);
  expect(supervisor.ManagedService).toBe(ManagedService);
  expect(supervisor.runServe).toBe(runServe);
  expect(Object.keys(supervisor).sort()).toEqual([
    'ManagedService',
    'RestartPolicy',
    'ServeInfoSchema',
    'Supervisor',
    'driverService',
    'readServeInfo',
    'runServe',
    'workerService',
    'writeServeInfo',
  ]);
});
