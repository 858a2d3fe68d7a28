import { join } from 'node:path';
import { createLogger } from '../../src/runtime/logger.ts';
import { connectDatabase } from '../../src/db/connect.ts';
import type { DatabaseClient } from '../../src/db/database-client.ts';
import { type DriverProcessOptions, runDriverProcess } from '../../src/driver/process/driver-process.ts';
import { RETRYABLE_METHODS } from '../../src/driver/methods.ts';
import { RpcClient, type RpcClientOptions } from '../../src/ipc/rpc-client.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { ChildProcess } from '../../src/runtime/types.ts';
import { deferCleanup } from './cleanup.ts';
import { BIN, DENO, REPO_ROOT } from './paths.ts';
import { announcePostgresSkipped, postgresRequired, startPostgres } from './postgres.ts';
import { makeTempDir } from './temp-dir.ts';
import { waitFor } from './wait-for.ts';

type ClientOptions = Omit<RpcClientOptions, 'socketPath'>;

/** Client options of the server's own connections (hello role "owner"): they may change the protected code tables. */
export const OWNER: ClientOptions = { hello: { client: 'test-owner', role: 'owner' } };

/** A running driver, however it was started, as the tests reach it. */
export interface DriverHandle {
  readonly dir: string;
  /** The SQLite file, or the PostgreSQL URL. */
  readonly databasePath: string;
  readonly socketPath: string;
  readonly pidFile: string;
  /** A DatabaseClient on this driver, closed after the test file. */
  client(options?: ClientOptions): DatabaseClient;
  /** A raw RpcClient on this driver, closed after the test file. */
  rpc(options?: ClientOptions): RpcClient;
  /** Graceful stop (SIGTERM or its in-process equivalent); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Driver settings a test may change; given as flags to a child, as options in-process. */
export type DriverSettings = Partial<
  Pick<
    DriverProcessOptions,
    | 'maxQueueSize'
    | 'requestTimeoutMs'
    | 'transactionTimeoutMs'
    | 'drainTimeoutMs'
    | 'groupCommit'
    | 'synchronous'
    | 'backupDir'
    | 'poolSize'
    | 'readThreads'
    | 'maxPendingPerConnection'
    | 'maxUnsentBytes'
    | 'frameTimeoutMs'
  >
>;

export interface DriverSetup {
  /** Reuse this directory (and its database) instead of a new one. */
  dir?: string;
  /** A database (file or PostgreSQL URL) instead of `test.db` in the directory. */
  database?: string;
  settings?: DriverSettings;
}

function settingsToFlags(settings: DriverSettings = {}): string[] {
  const flags: string[] = [];
  if (settings.maxQueueSize !== undefined) flags.push('--max-queue', String(settings.maxQueueSize));
  if (settings.requestTimeoutMs !== undefined) flags.push('--request-timeout-ms', String(settings.requestTimeoutMs));
  if (settings.transactionTimeoutMs !== undefined) flags.push('--transaction-timeout-ms', String(settings.transactionTimeoutMs));
  if (settings.drainTimeoutMs !== undefined) flags.push('--drain-timeout-ms', String(settings.drainTimeoutMs));
  if (settings.synchronous !== undefined) flags.push('--synchronous', settings.synchronous);
  if (settings.groupCommit === false) flags.push('--no-group-commit');
  if (settings.backupDir !== undefined) flags.push('--backup-dir', settings.backupDir);
  if (settings.poolSize !== undefined) flags.push('--pool-size', String(settings.poolSize));
  if (settings.readThreads !== undefined) flags.push('--read-threads', String(settings.readThreads));
  if (settings.maxPendingPerConnection !== undefined) flags.push('--max-pending-per-connection', String(settings.maxPendingPerConnection));
  if (settings.maxUnsentBytes !== undefined) flags.push('--max-unsent-bytes', String(settings.maxUnsentBytes));
  if (settings.frameTimeoutMs !== undefined) flags.push('--frame-timeout-ms', String(settings.frameTimeoutMs));
  return flags;
}

function trackClients(socketPath: string) {
  return {
    client(options: ClientOptions = {}) {
      const client = connectDatabase(nodeRuntime, { socketPath, ...options });
      deferCleanup(() => client.close());
      return client;
    },
    rpc(options: ClientOptions = {}) {
      const rpc = new RpcClient(nodeRuntime, { socketPath, retryableMethods: RETRYABLE_METHODS, ...options });
      deferCleanup(() => rpc.close());
      return rpc;
    },
  };
}

async function paths(setup: DriverSetup) {
  const dir = setup.dir ?? (await makeTempDir());
  return {
    dir,
    databasePath: setup.database ?? join(dir, 'test.db'),
    socketPath: join(dir, 'run', 'driver.sock'),
    pidFile: join(dir, 'run', 'driver.pid'),
  };
}

/**
 * What genuinely differs between the engines behind a target, so suites run the same
 * bodies against each and read the engine-specific expectations from here.
 */
export interface TargetTraits {
  driver: 'sqlite' | 'postgres';
  /** One writer at a time: another connection's write waits while a transaction is open. */
  singleWriter: boolean;
  /** The `database_code` of each constraint violation. */
  codes: { unique: string; notNull: string; foreignKey: string };
  /** get_table_info's `default` of a boolean column declared with `"default": true`. */
  booleanTrueDefault: string;
  /** Raw SQL for an integer key numbered by the database when not given. */
  autoKeySql: string;
  /**
   * `last_row_id` of an `execute` that inserts nothing, after `lastInserted` was inserted on
   * the same connection: SQLite reports the connection's last rowid, PostgreSQL has none.
   */
  lastRowIdWithoutInsert: (lastInserted: number) => number | null;
  /** Part of `stats().driver` that names the library and its settings. */
  driverStats: Record<string, unknown>;
}

const SQLITE_TRAITS: TargetTraits = {
  driver: 'sqlite',
  singleWriter: true,
  codes: { unique: 'SQLITE_CONSTRAINT_UNIQUE', notNull: 'SQLITE_CONSTRAINT_NOTNULL', foreignKey: 'SQLITE_CONSTRAINT_FOREIGNKEY' },
  booleanTrueDefault: '1',
  autoKeySql: 'INTEGER PRIMARY KEY',
  lastRowIdWithoutInsert: (lastInserted) => lastInserted,
  driverStats: { library: 'better-sqlite3', synchronous: 'full', group_commit: true },
};

export const POSTGRES_TRAITS: TargetTraits = {
  driver: 'postgres',
  singleWriter: false,
  codes: { unique: '23505', notNull: '23502', foreignKey: '23503' },
  booleanTrueDefault: 'true',
  autoKeySql: 'BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY',
  lastRowIdWithoutInsert: () => null,
  driverStats: { library: 'postgres.js', pool_size: 10, group_commit: false },
};

type StartDriver = (setup?: DriverSetup) => Promise<DriverHandle>;

/** A `code-analysis driver` child on a fresh database of this test file's PostgreSQL server. */
export async function startPostgresDriverProcess(setup: DriverSetup = {}): Promise<ChildDriver> {
  const server = await startPostgres();
  return startDriverProcess({ ...setup, database: setup.database ?? (await server.createDatabase()) });
}

/** The SQLite targets: the child process and the same code in-process (for coverage). */
export const SQLITE_TARGETS: Array<[string, StartDriver, TargetTraits]> = [
  ['driver child process', (setup) => startDriverProcess(setup), SQLITE_TRAITS],
  ['in-process driver', (setup) => startInProcessDriver(setup), SQLITE_TRAITS],
];

/** The targets that are real `code-analysis driver` child processes (kill -9, exit codes). */
export const CHILD_TARGETS: Array<[string, (setup?: DriverSetup) => Promise<ChildDriver>, TargetTraits]> = [
  ['driver child process', (setup) => startDriverProcess(setup), SQLITE_TRAITS],
  ...(postgresRequired()
    ? [['driver child process on PostgreSQL', startPostgresDriverProcess, POSTGRES_TRAITS] as [string, (setup?: DriverSetup) => Promise<ChildDriver>, TargetTraits]]
    : []),
];

/**
 * Every target, for suites that run the same bodies against each: SQLite, and a driver
 * child on PostgreSQL where its binaries exist (required under CI=true).
 */
export const DRIVER_TARGETS: Array<[string, StartDriver, TargetTraits]> = [
  ...SQLITE_TARGETS,
  ...(postgresRequired()
    ? [['driver child process on PostgreSQL', (setup?: DriverSetup) => startPostgresDriverProcess(setup), POSTGRES_TRAITS] as [string, StartDriver, TargetTraits]]
    : (announcePostgresSkipped(), [])),
];

export interface ChildDriver extends DriverHandle {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything the child wrote to stderr so far. */
  output(): string;
  /** kill -9, then wait until the process is gone. */
  kill(): Promise<void>;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

/**
 * A child process with its output collected (stdout and stderr together) and SIGKILLed
 * after the test file when it is still running.
 */
export function spawnCollected(command: string[]) {
  const child = nodeRuntime.spawn(command, { cwd: REPO_ROOT, stdout: 'pipe', stderr: 'pipe' });
  let output = '';
  const collect = async (stream: AsyncIterable<Uint8Array> | null) => {
    for await (const chunk of stream ?? []) output += new TextDecoder().decode(chunk);
  };
  void collect(child.stderr);
  void collect(child.stdout);
  let exit: { code: number | null; signal: string | null } | undefined;
  const exited = child.exited.then((result) => (exit = result));
  deferCleanup(async () => {
    if (!exit) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, exited, output: () => output, exit: () => exit };
}

/** Start `code-analysis driver` as a real child process (Node, or Deno) and wait until it answers ping. */
export async function startDriverProcess(setup: DriverSetup & { runtime?: 'node' | 'deno' } = {}): Promise<ChildDriver> {
  const where = await paths(setup);
  const command =
    setup.runtime === 'deno'
      ? [DENO, 'run', '-A', '--config', join(REPO_ROOT, 'deno.json'), join(REPO_ROOT, 'src/main.ts')]
      : [process.execPath, BIN];
  const { child, exited, output, exit: exitOf } = spawnCollected([
    ...command,
    'driver',
    '--database',
    where.databasePath,
    '--socket',
    where.socketPath,
    ...settingsToFlags(setup.settings),
  ]);
  const probe = new RpcClient(nodeRuntime, { socketPath: where.socketPath, poolSize: 1, timeoutMs: 1000 });
  try {
    await waitFor(
      async () => {
        if (exitOf()) throw new Error(`driver exited early (${JSON.stringify(exitOf())}): ${output()}`);
        return (await probe.call<{ pong: boolean }>('ping')).pong;
      },
      { timeoutMs: 30_000, message: `driver on ${where.socketPath} to answer ping` },
    );
  } catch (error) {
    if (exitOf()) throw new Error(`driver exited early (${JSON.stringify(exitOf())}): ${output()}`);
    throw error;
  } finally {
    probe.close();
  }
  return {
    ...where,
    ...trackClients(where.socketPath),
    child,
    pid: child.pid,
    exited,
    output,
    async stop() {
      child.kill('SIGTERM');
      return (await exited).code;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface InProcessDriver extends DriverHandle {
  /** The promise of runDriverProcess itself. */
  readonly running: Promise<void>;
}

/**
 * Run the driver process's code inside the test process, on a real socket and a real
 * SQLite file, so coverage sees it.
 */
export async function startInProcessDriver(setup: DriverSetup = {}): Promise<InProcessDriver> {
  const where = await paths(setup);
  let triggerShutdown!: () => void;
  const shutdown = new Promise<void>((resolve) => (triggerShutdown = resolve));
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const running = runDriverProcess(nodeRuntime, createLogger(nodeRuntime, { level: 'silent' }), {
    database: where.databasePath,
    socketPath: where.socketPath,
    pidFile: where.pidFile,
    version: 'test',
    ...setup.settings,
    shutdown,
    onReady: ready,
  });
  await Promise.race([isReady, running]);
  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      triggerShutdown();
    }
    await running;
    return 0;
  };
  deferCleanup(() => stop().catch(() => undefined));
  return { ...where, ...trackClients(where.socketPath), running, stop };
}
