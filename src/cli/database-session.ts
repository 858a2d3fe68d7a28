import { runPaths } from '../config/run-paths.ts';
import type { Config } from '../config/schema.ts';
import { type OpenedDatabase, UniversalDriver } from '../db/universal-driver.ts';
import { DatabaseClient } from '../db/database-client.ts';
import { RETRYABLE_METHODS } from '../driver/methods.ts';
import { RpcClient } from '../ipc/rpc-client.ts';
import type { Runtime } from '../runtime/types.ts';
import { driverService } from '../supervisor/services.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import type { Logger } from './logger.ts';

/**
 * Run `work` on the configured database for a one-shot command: through the running
 * server's driver when one answers on the socket, otherwise through a transient driver
 * started (and stopped) the way serve starts one — never by opening a SQLite file here.
 * PostgreSQL in_process needs no driver: the command opens its own pool.
 */
export async function withDatabase<T>(
  runtime: Runtime,
  config: Config,
  logger: Logger,
  work: (opened: OpenedDatabase, transient: boolean) => Promise<T>,
): Promise<T> {
  const universal = new UniversalDriver(runtime, config);
  if (universal.inProcess) {
    const { db, close } = await universal.connect();
    try {
      return await work(await universal.open(db), true);
    } finally {
      await close();
    }
  }
  const paths = runPaths(config);
  const rpc = new RpcClient(runtime, { socketPath: paths.socket, poolSize: 2, timeoutMs: config.queue.timeout_ms, retryableMethods: RETRYABLE_METHODS });
  const running = await rpc.call('ping', undefined, { timeoutMs: config.supervisor.ping_timeout_ms }).then(
    () => true,
    () => false,
  );
  const supervisor = new Supervisor(runtime, logger);
  try {
    if (!running) {
      await runtime.fs.mkdir(paths.runDir, { recursive: true, mode: 0o700 });
      await runtime.fs.mkdir(paths.logsDir, { recursive: true });
      await supervisor.start(driverService({ self: runtime.selfCommand(), supervisorPid: runtime.pid }, config, paths, rpc));
    }
    const opened = await universal.open(new DatabaseClient(rpc, rpc));
    return await work(opened, !running);
  } finally {
    rpc.close();
    await supervisor.stopAll();
  }
}
