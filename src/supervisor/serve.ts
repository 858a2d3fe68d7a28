import type { Logger } from '../runtime/logger.ts';
import { type RunPaths, runPaths } from '../config/run-paths.ts';
import type { Config } from '../config/schema.ts';
import { DatabaseClient } from '../db/database-client.ts';
import { UniversalDriver } from '../db/universal-driver.ts';
import type { SyncReport } from '../driver/types.ts';
import type { HttpServer, Runtime } from '../runtime/types.ts';
import { createApp } from '../server/app.ts';
import { assertExposable, startHttpServer } from '../server/http-server.ts';
import { PidFile } from '../runtime/pid-file.ts';
import { writeServeInfo } from './serve-info.ts';
import { type DatabaseEndpoint, startDatabase } from './database-endpoint.ts';
import { workerService } from './services.ts';
import { waitForShutdownSignal } from '../runtime/shutdown-signal.ts';
import { Supervisor } from './supervisor.ts';
import { type CodeTools, createCodeTools } from '../tools/context.ts';
import { indexerLinkFromStatus } from '../tools/indexer-link.ts';
import type { ServiceStatus, SupervisorStatus } from './types.ts';

export interface ServeOptions {
  version: string;
  /** How children start this program again; the runtime's own self command when not given. */
  selfCommand?: string[];
  /** Resolves when the server should shut down; SIGTERM or SIGINT when not given. */
  shutdown?: Promise<void>;
  /** Told once everything runs, with where it listens. */
  onListening?: (url: string, paths: RunPaths) => void;
}

/** The worker kinds this config runs. */
function workerKinds(config: Config): string[] {
  const kinds: string[] = [];
  // Backups, optimize and checkpoints are SQLite file maintenance.
  if (config.workers.maintenance.enabled && config.database.type === 'sqlite') kinds.push('maintenance');
  if (config.workers.indexer.enabled && config.workers.indexer.watch_dirs.length > 0) kinds.push('indexer');
  // Every indexed project gets vectors, however it was indexed (the indexer worker, `code-analysis index`).
  if (config.workers.vectorizer.enabled) kinds.push('vectorizer');
  return kinds;
}

/** The HTTP server runs inside the serve process; it is listed among the services all the same. */
function httpServiceStatus(http: { url: string; startedAt: number; readyAt: number }, pid: number): ServiceStatus {
  return {
    name: 'http',
    kind: 'http',
    state: 'running',
    pid,
    started_at: new Date(http.startedAt).toISOString(),
    ready_at: new Date(http.readyAt).toISOString(),
    uptime_ms: Date.now() - http.startedAt,
    restarts: 0,
    health: 'ok',
    last_error: null,
    details: { url: http.url },
  };
}

function logSync(logger: Logger, sync: SyncReport): void {
  const changes = [
    ...sync.created_tables.map((table) => `created ${table}`),
    ...sync.altered_tables.map((table) => `added ${table.added_columns.join(', ')} to ${table.table}`),
    ...sync.rebuilt_tables.map((table) => `rebuilt ${table}`),
    ...sync.created_indexes.map((index) => `created index ${index}`),
    ...sync.dropped_indexes.map((index) => `dropped index ${index}`),
  ];
  const backup = sync.backup_path ? ` (backup: ${sync.backup_path})` : '';
  logger.info(`schema ${sync.version}: ${changes.length ? changes.join('; ') : 'up to date'}${backup}`);
  for (const problem of sync.unsupported) logger.warn(`schema: not applied: ${problem}`);
}

function withTimeout(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

/**
 * `code-analysis serve` (DESIGN §7): claim the PID file, start the driver and wait until
 * it answers, start the workers, then the HTTP server; on SIGTERM/SIGINT stop the HTTP
 * server (letting requests finish), then the workers, then the driver, and remove the
 * run-time files. Resolves after a clean shutdown; rejects when it cannot start.
 */
export async function runServe(runtime: Runtime, logger: Logger, config: Config, options: ServeOptions): Promise<void> {
  // Refused before anything starts, not after the driver and workers are up.
  assertExposable(config.server.host, config.server.auth_token);
  const shutdown = options.shutdown ?? waitForShutdownSignal(runtime);
  const paths = runPaths(config);
  const launch = { self: options.selfCommand ?? runtime.selfCommand(), supervisorPid: runtime.pid };
  const startedAt = Date.now();
  let state: SupervisorStatus['state'] = 'starting';
  await runtime.fs.mkdir(paths.runDir, { recursive: true, mode: 0o700 });
  await runtime.fs.mkdir(paths.logsDir, { recursive: true });
  const pidFile = new PidFile(runtime, paths.servePid, `a server on ${paths.dataDir}`);
  await pidFile.claim();

  const supervisor = new Supervisor(runtime, logger);
  let database: DatabaseEndpoint | undefined;
  let http: HttpServer | undefined;
  let httpService: { url: string; startedAt: number; readyAt: number } | undefined;
  let tools: CodeTools | undefined;
  try {
    // The workers read the effective config from here; 0600 because it may hold the token.
    await runtime.fs.writeFileAtomic(paths.effectiveConfig, `${JSON.stringify(config, null, 2)}\n`, 0o600);
    database = await startDatabase(runtime, config, paths, launch, supervisor, options.version);
    // HTTP /rpc forwards through an ordinary connection; the server's own work through the owner's.
    const driver = database.transport;
    // The schema is brought up to date before any worker may write.
    const opened = await new UniversalDriver(runtime, config).open(new DatabaseClient(database.owner, database.owner));
    logSync(logger, opened.sync);
    for (const repair of opened.repaired) logger.warn(`code index repaired: ${repair}`);
    for (const kind of workerKinds(config)) await supervisor.start(workerService(launch, kind, config, paths));

    const status = (): SupervisorStatus => ({
      pid: runtime.pid,
      version: options.version,
      state,
      started_at: new Date(startedAt).toISOString(),
      uptime_ms: Date.now() - startedAt,
      data_dir: paths.dataDir,
      services: [
        ...(database?.status() ?? []),
        ...supervisor.status(),
        ...(httpService ? [httpServiceStatus(httpService, runtime.pid)] : []),
      ],
    });
    tools = createCodeTools({
      code: opened.code,
      fs: runtime.fs,
      excludeDirs: [config.data_dir],
      embeddings: config.embeddings,
      // The indexer worker rescans on SIGHUP: how `reindex` asks it.
      indexer: indexerLinkFromStatus(async () => status(), (pid) => runtime.kill(pid, 'SIGHUP')),
      logger: logger.withTag('tools'),
    });
    const app = createApp({
      status,
      driver,
      code: () => tools,
      authToken: config.server.auth_token,
      readToken: config.server.read_token,
      rpc: config.server.rpc,
      sqlDialect: config.database.type,
      allowedHosts: [config.server.host, ...config.server.allowed_hosts],
      version: options.version,
      pingTimeoutMs: config.supervisor.ping_timeout_ms,
      onUnexpectedError: (error) => logger.error('HTTP request failed unexpectedly:', error instanceof Error ? (error.stack ?? error.message) : error),
    });
    const httpStartedAt = Date.now();
    http = await startHttpServer(runtime, { host: config.server.host, port: config.server.port, authToken: config.server.auth_token, app });
    const url = `http://${http.hostname.includes(':') ? `[${http.hostname}]` : http.hostname}:${http.port}`;
    httpService = { url, startedAt: httpStartedAt, readyAt: Date.now() };
    await writeServeInfo(runtime, paths.serveInfo, {
      pid: runtime.pid,
      version: options.version,
      url,
      started_at: new Date(startedAt).toISOString(),
      data_dir: paths.dataDir,
    });
    state = 'running';
    logger.info(`serving ${url}`);
    options.onListening?.(url, paths);

    await shutdown;
    state = 'stopping';
    logger.info('shutting down: HTTP first');
    const stopTimeoutMs = config.supervisor.stop_timeout_ms;
    if (!(await withTimeout(http.close(), stopTimeoutMs))) logger.warn(`HTTP requests still open after ${stopTimeoutMs} ms; leaving them`);
    http = undefined;
    httpService = undefined;
  } finally {
    if (http) await withTimeout(http.close(), config.supervisor.stop_timeout_ms);
    await tools?.scans.stop();
    await supervisor.stopAll();
    await database?.close();
    await runtime.fs.rm(paths.serveInfo);
    await runtime.fs.rm(paths.effectiveConfig);
    await pidFile.release();
  }
  logger.info('stopped');
}
