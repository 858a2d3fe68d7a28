import { dirname, join } from 'node:path';
import type { Logger } from '../../runtime/logger.ts';
import { RpcClient } from '../../ipc/rpc-client.ts';
import { RpcServer } from '../../ipc/rpc-server.ts';
import type { Runtime } from '../../runtime/types.ts';
import { AlreadyRunningError, PidFile } from '../../runtime/pid-file.ts';
import { waitForShutdownSignal } from '../../runtime/shutdown-signal.ts';
import { describeUrl } from '../postgres/postgres-errors.ts';
import { SqliteDriver, type SynchronousMode } from '../sqlite/sqlite-driver.ts';
import type { Driver } from '../types.ts';
import { DriverService } from './driver-service.ts';

export interface DriverProcessOptions {
  /** A SQLite file, or a `postgres://` / `postgresql://` URL. */
  database: string;
  socketPath: string;
  /** Default: the socket path with `.pid` in place of `.sock`. */
  pidFile?: string;
  synchronous?: SynchronousMode;
  busyTimeoutMs?: number;
  groupCommit?: boolean;
  /** Where `backup` writes; created when missing. Default: `backups/` beside the database. */
  backupDir?: string;
  /** PostgreSQL: pooled connections (database.pool_size, default 10). */
  poolSize?: number;
  maxQueueSize?: number;
  requestTimeoutMs?: number;
  transactionTimeoutMs?: number;
  /** How long SIGTERM waits for queued work and open transactions before cutting them off. */
  drainTimeoutMs?: number;
  maxFrameBytes?: number;
  version: string;
  /** Resolves when the driver should shut down; SIGTERM or SIGINT when not given. */
  shutdown?: Promise<void>;
  /** Called once the socket accepts connections. */
  onReady?: () => void;
}

export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}

/** The database the options name: PostgreSQL for a URL, SQLite for a file. */
async function openDriver(runtime: Runtime, options: DriverProcessOptions): Promise<Driver> {
  if (isPostgresUrl(options.database)) {
    // Loaded only here: postgres.js and node:tls cost a SQLite driver's start for nothing.
    const { PostgresDriver } = await import('../postgres/postgres-driver.ts');
    // A statement may run as long as a request may wait: the queue's deadline, server-side.
    return PostgresDriver.open({ url: options.database, poolSize: options.poolSize, statementTimeoutMs: options.requestTimeoutMs ?? 30_000 });
  }
  await runtime.fs.mkdir(dirname(options.database), { recursive: true });
  return SqliteDriver.open({
    path: options.database,
    library: runtime.hasNodeSqlite ? 'node:sqlite' : 'better-sqlite3',
    synchronous: options.synchronous,
    busyTimeoutMs: options.busyTimeoutMs,
    groupCommit: options.groupCommit,
    backups: { dir: options.backupDir ?? join(dirname(options.database), 'backups'), fs: runtime.fs },
  });
}

export function defaultPidFile(socketPath: string): string {
  return socketPath.endsWith('.sock') ? `${socketPath.slice(0, -'.sock'.length)}.pid` : `${socketPath}.pid`;
}

/** Refuse when a live driver answers on the socket; clear a stale socket file. */
async function claimSocket(runtime: Runtime, socketPath: string): Promise<void> {
  if (!(await runtime.fs.exists(socketPath))) return;
  const probe = new RpcClient(runtime, { socketPath, poolSize: 1, timeoutMs: 1000, initialBackoffMs: 1000 });
  try {
    const pong = await probe.call<{ pid?: number }>('ping');
    throw new AlreadyRunningError(pong.pid ?? -1, `a driver on ${socketPath}`);
  } catch (error) {
    if (error instanceof AlreadyRunningError) throw error;
    await runtime.fs.rm(socketPath);
  } finally {
    probe.close();
  }
}

/**
 * The driver process: owns the database, serves it on the socket through the queue, and on
 * SIGTERM/SIGINT drains, rolls back, checkpoints and removes its files. Resolves when it
 * has shut down cleanly; rejects when it cannot start.
 */
export async function runDriverProcess(runtime: Runtime, logger: Logger, options: DriverProcessOptions): Promise<void> {
  const pidFile = new PidFile(runtime, options.pidFile ?? defaultPidFile(options.socketPath), 'a driver');
  await runtime.fs.mkdir(dirname(options.socketPath), { recursive: true, mode: 0o700 });
  await pidFile.claim();
  let driver: Driver | undefined;
  let server: RpcServer | undefined;
  try {
    await claimSocket(runtime, options.socketPath);
    driver = await openDriver(runtime, options);
    const service = new DriverService(driver, {
      maxQueueSize: options.maxQueueSize ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      transactionTimeoutMs: options.transactionTimeoutMs ?? 60_000,
      version: options.version,
      pid: runtime.pid,
    });
    const listening = new RpcServer(runtime, {
      socketPath: options.socketPath,
      handler: service.handle,
      maxFrameBytes: options.maxFrameBytes,
      onUnexpectedError: (error, request) => logger.error(`${request.method} failed unexpectedly:`, error instanceof Error ? (error.stack ?? error.message) : error),
    });
    await listening.listen();
    server = listening;
    const database = isPostgresUrl(options.database) ? describeUrl(options.database) : options.database;
    logger.info(`ready: ${database} (${driver.stats().library}) on ${options.socketPath}, pid ${runtime.pid}`);

    options.onReady?.();
    await (options.shutdown ?? waitForShutdownSignal(runtime));
    logger.info('shutting down: draining the queue');
    await server.stopAccepting();
    service.beginShutdown();
    const drained = await service.drain(options.drainTimeoutMs ?? 10_000);
    if (!drained) logger.warn('drain timed out: refusing what still waits and rolling back open transactions');
    await service.close();
    driver = undefined;
    logger.info('stopped');
  } finally {
    await driver?.close().catch(() => undefined);
    if (server) {
      server.closeConnections();
      // Only the socket we created is ours to remove; a refused start leaves the owner's.
      await runtime.fs.rm(options.socketPath);
    }
    await pidFile.release();
  }
}
