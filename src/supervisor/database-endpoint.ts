import type { RunPaths } from '../config/run-paths.ts';
import type { Config } from '../config/schema.ts';
import type { DatabaseTransport } from '../db/database-client.ts';
import { InProcessTransport } from '../db/in-process-transport.ts';
import { RETRYABLE_METHODS } from '../driver/methods.ts';
import { type ClientHello, RpcClient } from '../ipc/rpc-client.ts';
import type { Runtime } from '../runtime/types.ts';
import { driverService, type Launch } from './services.ts';
import type { Supervisor } from './supervisor.ts';
import type { ServiceStatus } from './types.ts';

/** The database as the serve process reaches it, whichever mode the config names. */
export interface DatabaseEndpoint {
  /** What HTTP `/rpc` forwards through: an ordinary client, never the owner. */
  transport: DatabaseTransport;
  /** The server's own connection (hello role "owner"): the schema sync and the server's own index writes. */
  owner: DatabaseTransport;
  /** A status entry the supervisor does not list itself (in_process has no driver child). */
  status(): ServiceStatus[];
  /** After the workers stopped: close the client, and in_process the database itself. */
  close(): Promise<void>;
}

const OWNER: ClientHello = { client: 'serve', role: 'owner' };

/**
 * Start the database for serve: `process` mode starts the driver child under the supervisor
 * and waits until it answers; `in_process` (PostgreSQL) opens the driver and its request
 * service inside the serve process — no child, no socket.
 */
export async function startDatabase(
  runtime: Runtime,
  config: Config,
  paths: RunPaths,
  launch: Launch,
  supervisor: Supervisor,
  version: string,
): Promise<DatabaseEndpoint> {
  if (config.database.mode === 'process') {
    const client = (hello?: ClientHello) =>
      new RpcClient(runtime, { socketPath: paths.socket, poolSize: 2, timeoutMs: config.queue.timeout_ms, retryableMethods: RETRYABLE_METHODS, hello });
    const rpc = client();
    const owner = client(OWNER);
    const close = async () => {
      rpc.close();
      owner.close();
    };
    try {
      await supervisor.start(driverService(runtime, launch, config, paths, rpc));
    } catch (error) {
      await close();
      throw error;
    }
    return { transport: rpc, owner, status: () => [], close };
  }
  const startedAt = new Date().toISOString();
  // Loaded only in this mode: postgres.js and node:tls cost a process-mode start for nothing.
  const { openConfiguredInProcess } = await import('../db/in-process.ts');
  const database = await openConfiguredInProcess(runtime, config, version);
  const transport = new InProcessTransport(database.service, { poolSize: 2, timeoutMs: config.queue.timeout_ms });
  const owner = new InProcessTransport(database.service, { poolSize: 2, timeoutMs: config.queue.timeout_ms, hello: OWNER });
  return {
    transport,
    owner,
    status: () => [
      {
        name: 'driver',
        kind: 'driver',
        state: 'running',
        pid: runtime.pid,
        started_at: startedAt,
        ready_at: startedAt,
        uptime_ms: Date.now() - Date.parse(startedAt),
        restarts: 0,
        health: 'ok',
        last_error: null,
        details: { mode: 'in_process' },
      },
    ],
    async close() {
      transport.close();
      owner.close();
      await database.close(config.supervisor.stop_timeout_ms);
    },
  };
}
