import { nodeRuntime } from '../../src/runtime/node.ts';
import { openInProcessDatabase } from '../../src/db/in-process.ts';
import { InProcessTransport } from '../../src/db/in-process-transport.ts';
import type { DatabaseClient, DatabaseTransport } from '../../src/db/database-client.ts';
import { deferCleanup } from './cleanup.ts';
import { DRIVER_TARGETS, type DriverHandle, type DriverSetup, POSTGRES_TRAITS, type TargetTraits } from './driver.ts';
import { postgresRequired, startPostgres } from './postgres.ts';
import { makeTempDir } from './temp-dir.ts';

/** What the conformance suite needs of a target: a client, raw calls, a stop. No socket assumed. */
export type ConformanceHandle = Pick<DriverHandle, 'dir' | 'databasePath' | 'stop'> & {
  client(options?: { poolSize?: number; timeoutMs?: number }): DatabaseClient;
  rpc(options?: { poolSize?: number; timeoutMs?: number }): DatabaseTransport;
};

/**
 * PostgreSQL `in_process` mode: the DatabaseClient talks to a PostgreSQL driver and its
 * request service in this very process, no socket (DESIGN §8).
 */
export async function startPostgresInProcess(setup: DriverSetup = {}): Promise<ConformanceHandle> {
  const server = await startPostgres();
  const url = setup.database ?? (await server.createDatabase());
  const database = await openInProcessDatabase({
    url,
    poolSize: setup.settings?.poolSize ?? 10,
    maxQueueSize: setup.settings?.maxQueueSize ?? 10_000,
    requestTimeoutMs: setup.settings?.requestTimeoutMs ?? 30_000,
    transactionTimeoutMs: setup.settings?.transactionTimeoutMs ?? 60_000,
    version: 'test',
    pid: process.pid,
    defer: nodeRuntime.defer,
  });
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    stopped ??= database.close(setup.settings?.drainTimeoutMs ?? 10_000);
    await stopped;
    return 0;
  };
  deferCleanup(() => stop());
  return {
    dir: await makeTempDir(),
    databasePath: url,
    client: (options) => database.client(options),
    rpc: (options) => {
      const transport = new InProcessTransport(database.service, options);
      deferCleanup(() => transport.close());
      return transport;
    },
    stop,
  };
}

/** The conformance suite's targets: every driver target, plus PostgreSQL in_process. */
export const CONFORMANCE_TARGETS: Array<[string, (setup?: DriverSetup) => Promise<ConformanceHandle>, TargetTraits]> = [
  ...DRIVER_TARGETS,
  ...(postgresRequired() ? [['PostgreSQL in_process (no socket)', startPostgresInProcess, POSTGRES_TRAITS] as [string, (setup?: DriverSetup) => Promise<ConformanceHandle>, TargetTraits]] : []),
];
