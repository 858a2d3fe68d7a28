import { runPaths } from '../config/run-paths.ts';
import type { Config } from '../config/schema.ts';
import { DatabaseClient } from '../db/database-client.ts';
import { type Connection, type OpenedDatabase, UniversalDriver } from '../db/universal-driver.ts';
import { PidFile } from '../runtime/pid-file.ts';
import type { Runtime } from '../runtime/types.ts';
import { probeSocket } from '../supervisor/socket-probe.ts';
import { VERSION } from '../version.ts';
import type { Logger } from '../runtime/logger.ts';

const OWNER = { client: 'cli', role: 'owner' as const };

/**
 * A client of the running server's driver, or null when no server runs. Gives up at once
 * when nothing listens on the socket (a pooled client would retry until its timeout); a
 * server that runs while its driver does not answer is an error, not a reason to start a
 * second driver on its database.
 */
async function runningDriver(runtime: Runtime, universal: UniversalDriver, config: Config): Promise<Connection | null> {
  if (universal.inProcess) return null;
  const paths = runPaths(config);
  const unreachable = await probeSocket(runtime, paths.socket, config.supervisor.ping_timeout_ms);
  if (unreachable !== null) {
    const server = await new PidFile(runtime, paths.servePid).liveHolder();
    if (server === null) return null;
    throw new Error(`the server (pid ${server}) runs but its driver does not answer: ${unreachable}; it restarts the driver by itself, see "code-analysis status"`);
  }
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
  const running = await runningDriver(runtime, universal, config);
  if (running) {
    try {
      return await work(await universal.open(running.db));
    } finally {
      await running.close();
    }
  }
  // Loaded only when no server answers: the supervisor's code is no part of a call to a running one.
  const [{ startDatabase }, { Supervisor }] = await Promise.all([import('../supervisor/database-endpoint.ts'), import('../supervisor/supervisor.ts')]);
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
