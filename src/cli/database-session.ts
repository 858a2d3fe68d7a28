import { runPaths } from '../config/run-paths.ts';
import type { Config } from '../config/schema.ts';
import { DatabaseClient } from '../db/database-client.ts';
import { type Connection, type OpenedDatabase, UniversalDriver } from '../db/universal-driver.ts';
import type { Runtime } from '../runtime/types.ts';
import { startDatabase } from '../supervisor/database-endpoint.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import { VERSION } from '../version.ts';
import type { Logger } from '../runtime/logger.ts';

const OWNER = { client: 'cli', role: 'owner' as const };

/** A client of the running server's driver, or null when none answers on the socket. */
async function runningDriver(universal: UniversalDriver, config: Config): Promise<Connection | null> {
  if (universal.inProcess) return null;
  // A one-shot command is the server's own client: it syncs the schema and writes the index.
  const connection = await universal.connect({ hello: OWNER });
  try {
    await connection.db.ping({ timeoutMs: config.supervisor.ping_timeout_ms });
    return connection;
  } catch {
    await connection.close();
    return null;
  }
}

/**
 * Run `work` on the configured database for a one-shot command: through the running
 * server's driver when one answers on the socket, otherwise through a transient database
 * started (and stopped) exactly the way serve starts one — a driver child, or PostgreSQL
 * in process — never by opening a SQLite file here.
 */
export async function withDatabase<T>(runtime: Runtime, config: Config, logger: Logger, work: (opened: OpenedDatabase) => Promise<T>): Promise<T> {
  const universal = new UniversalDriver(runtime, config);
  const running = await runningDriver(universal, config);
  if (running) {
    try {
      return await work(await universal.open(running.db));
    } finally {
      await running.close();
    }
  }
  const paths = runPaths(config);
  await runtime.fs.mkdir(paths.runDir, { recursive: true, mode: 0o700 });
  await runtime.fs.mkdir(paths.logsDir, { recursive: true });
  const supervisor = new Supervisor(runtime, logger);
  const launch = { self: runtime.selfCommand(), supervisorPid: runtime.pid };
  const database = await startDatabase(runtime, config, paths, launch, supervisor, VERSION);
  try {
    return await work(await universal.open(new DatabaseClient(database.owner, database.owner)));
  } finally {
    await supervisor.stopAll();
    await database.close();
  }
}
