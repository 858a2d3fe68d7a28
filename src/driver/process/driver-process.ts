import { dirname, join } from 'node:path';
import type { Logger } from '../../runtime/logger.ts';
import { RpcError } from '../../ipc/errors.ts';
import { RpcClient } from '../../ipc/rpc-client.ts';
import { RpcServer } from '../../ipc/rpc-server.ts';
import { embeddedAssets } from '../../runtime/index.ts';
import type { Runtime } from '../../runtime/types.ts';
import { AlreadyRunningError, PidFile } from '../../runtime/pid-file.ts';
import { waitForShutdownSignal } from '../../runtime/shutdown-signal.ts';
import type { PgvectorMode } from '../postgres/pgvector.ts';
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
  /** SQLite: reader threads, reads outside transactions run on that many at once (database.read_threads, default 2). */
  readThreads?: number;
  /** PostgreSQL: database.pgvector (default auto). */
  pgvector?: PgvectorMode;
  maxQueueSize?: number;
  requestTimeoutMs?: number;
  transactionTimeoutMs?: number;
  /** How long SIGTERM waits for queued work and open transactions before cutting them off. */
  drainTimeoutMs?: number;
  maxFrameBytes?: number;
  /** Unanswered requests one connection may have before the driver stops reading from it. */
  maxPendingPerConnection?: number;
  /** Unread answer bytes one connection may leave before the driver stops reading from it. */
  maxUnsentBytes?: number;
  /** How long a request frame may take to arrive whole. */
  frameTimeoutMs?: number;
  version: string;
  /** Resolves when the driver should shut down; SIGTERM or SIGINT when not given. */
  shutdown?: Promise<void>;
  /** Called once the socket accepts connections. */
  onReady?: () => void;
}

const STOPPED: unique symbol = Symbol('stopped');

export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}

/** The database the options name: PostgreSQL for a URL, SQLite for a file. */
async function openDriver(runtime: Runtime, options: DriverProcessOptions): Promise<Driver> {
  if (isPostgresUrl(options.database)) {
    // Loaded only here: postgres.js and node:tls cost a SQLite driver's start for nothing.
    const { PostgresDriver } = await import('../postgres/postgres-driver.ts');
    // A statement may run as long as a request may wait: the queue's deadline, server-side.
    return PostgresDriver.open({ url: options.database, poolSize: options.poolSize, statementTimeoutMs: options.requestTimeoutMs ?? 30_000, pgvector: options.pgvector });
  }
  const directory = dirname(options.database);
  await runtime.fs.mkdir(directory, { recursive: true }).catch((error: Error) => {
    throw new RpcError('DATABASE_ERROR', `cannot create the database's directory ${directory}: ${error.message}`, { path: directory }, { cause: error });
  });
  return SqliteDriver.open({
    path: options.database,
    library: runtime.hasNodeSqlite ? 'node:sqlite' : 'better-sqlite3',
    synchronous: options.synchronous,
    busyTimeoutMs: options.busyTimeoutMs,
    groupCommit: options.groupCommit,
    backupDir: options.backupDir ?? join(dirname(options.database), 'backups'),
    files: runtime.fs,
    // Each connection on its own thread; statements stopped at their deadline by the extension.
    runtime,
    readers: options.readThreads,
    deadlines: runtime.nativeLibrary('sqlite-deadline'),
    // sqlite-vec on every connection: vector_search ranks with its vec_distance_cosine.
    vectors: runtime.nativeLibrary('sqlite-vec'),
    nativeBinding: embeddedAssets()?.file('better_sqlite3.node'),
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

/** Thrown inside the start when a stop was asked for meanwhile: the start is abandoned. */
class StopDuringStart extends Error {}

/**
 * The driver process: owns the database, serves it on the socket through the queue, and on
 * SIGTERM/SIGINT drains, rolls back, checkpoints and removes its files. Resolves when it
 * has shut down cleanly (a stop asked for during the start abandons the start at once);
 * rejects, with the reason, when it cannot start.
 */
export async function runDriverProcess(runtime: Runtime, logger: Logger, options: DriverProcessOptions): Promise<void> {
  const shutdown = options.shutdown ?? waitForShutdownSignal(runtime);
  const stopped = shutdown.then((): typeof STOPPED => STOPPED);
  /** One step of the start, unless a stop comes first (a step that never ends included). */
  const step = async <T>(work: Promise<T>, abandon?: (value: T) => unknown): Promise<T> => {
    const outcome = await Promise.race([work.then((value) => ({ value })), stopped]);
    if (typeof outcome === 'object') return outcome.value;
    void work.then(abandon, () => undefined);
    throw new StopDuringStart();
  };
  const pidFile = new PidFile(runtime, options.pidFile ?? defaultPidFile(options.socketPath), 'a driver');
  let driver: Driver | undefined;
  let server: RpcServer | undefined;
  let claimed = false;
  try {
    await step(runtime.fs.mkdir(dirname(options.socketPath), { recursive: true, mode: 0o700 }));
    await step(pidFile.claim());
    claimed = true;
    await step(claimSocket(runtime, options.socketPath));
    driver = await step(openDriver(runtime, options), (opened) => opened.close());
    const service = await step(
      DriverService.open(driver, {
        maxQueueSize: options.maxQueueSize ?? 10_000,
        requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
        transactionTimeoutMs: options.transactionTimeoutMs ?? 60_000,
        version: options.version,
        pid: runtime.pid,
        defer: runtime.defer,
        memoryUsage: runtime.memoryUsage,
      }),
    );
    const listening = new RpcServer(runtime, {
      socketPath: options.socketPath,
      handler: service.handle,
      maxFrameBytes: options.maxFrameBytes,
      limits: {
        ...(options.maxPendingPerConnection === undefined ? {} : { maxPending: options.maxPendingPerConnection }),
        ...(options.maxUnsentBytes === undefined ? {} : { maxUnsentBytes: options.maxUnsentBytes }),
        ...(options.frameTimeoutMs === undefined ? {} : { frameTimeoutMs: options.frameTimeoutMs }),
      },
      onUnexpectedError: (error, request) => logger.error(`${request.method} failed unexpectedly:`, error instanceof Error ? (error.stack ?? error.message) : error),
    });
    await step(listening.listen());
    server = listening;
    const database = isPostgresUrl(options.database) ? describeUrl(options.database) : options.database;
    logger.info(`ready: ${database} (${driver.stats().library}) on ${options.socketPath}, pid ${runtime.pid}`);

    options.onReady?.();
    await shutdown;
    logger.info('shutting down: draining the queue');
    await server.stopAccepting();
    service.beginShutdown();
    const drained = await service.drain(options.drainTimeoutMs ?? 10_000);
    if (!drained) logger.warn('drain timed out: refusing what still waits and rolling back open transactions');
    await service.close();
    driver = undefined;
    logger.info('stopped');
  } catch (error) {
    if (!(error instanceof StopDuringStart)) throw error;
    logger.info('stopped while starting');
  } finally {
    await driver?.close().catch(() => undefined);
    if (server) {
      server.closeConnections();
      // Only the socket we created is ours to remove; a refused start leaves the owner's.
      await runtime.fs.rm(options.socketPath);
    }
    if (claimed) await pidFile.release();
  }
}
