import type { Config } from '../config/schema.ts';
import type { RunPaths } from '../config/run-paths.ts';
import type { RpcCaller } from '../ipc/rpc-client.ts';
import type { Runtime } from '../runtime/types.ts';
import { type ServiceSpec, ServiceUnreachable } from './service-spec.ts';
import { probeSocket } from './socket-probe.ts';

type Timing = Pick<
  ServiceSpec,
  'healthIntervalMs' | 'maxMissedChecks' | 'startTimeoutMs' | 'stopTimeoutMs' | 'maxRestarts' | 'restartWindowMs'
>;

function timing(config: Config): Timing {
  const supervisor = config.supervisor;
  return {
    healthIntervalMs: supervisor.health_interval_ms,
    maxMissedChecks: supervisor.max_missed_pings,
    startTimeoutMs: supervisor.start_timeout_ms,
    stopTimeoutMs: supervisor.stop_timeout_ms,
    maxRestarts: supervisor.max_restarts,
    restartWindowMs: supervisor.restart_window_ms,
  };
}

/** What every child is told: log JSON lines the supervisor can parse, and stop if it dies. */
function childFlags(config: Config, supervisorPid: number): string[] {
  return ['--log-format', 'json', '--log-level', config.log.level, '--supervisor-pid', String(supervisorPid)];
}

/** How the supervisor starts children: this program's own command, and its pid for them to watch. */
export interface Launch {
  self: string[];
  supervisorPid: number;
}

/**
 * The driver: the one process that owns the database. Ready once it answers ping on its
 * socket; healthy while a fresh connection to its socket path is accepted (the supervisor's
 * own connections outlive a deleted socket file) and it keeps answering within
 * `ping_timeout_ms`.
 */
export function driverService(runtime: Runtime, launch: Launch, config: Config, paths: RunPaths, driver: RpcCaller): ServiceSpec {
  const { database, queue, supervisor } = config;
  const ping = () => driver.call('ping', undefined, { timeoutMs: supervisor.ping_timeout_ms });
  return {
    name: 'driver',
    kind: 'driver',
    command: [
      ...launch.self,
      'driver',
      '--database',
      database.type === 'postgres' ? (database.url ?? '') : database.path,
      '--socket',
      paths.socket,
      '--pid-file',
      paths.pidFile('driver'),
      '--backup-dir',
      paths.backupsDir,
      '--synchronous',
      database.synchronous,
      '--busy-timeout-ms',
      String(database.busy_timeout_ms),
      '--max-queue',
      String(queue.max_size),
      '--request-timeout-ms',
      String(queue.timeout_ms),
      '--transaction-timeout-ms',
      String(queue.transaction_timeout_ms),
      '--max-pending-per-connection',
      String(queue.max_pending_per_connection),
      '--max-unsent-bytes',
      String(queue.max_unsent_bytes_per_connection),
      '--frame-timeout-ms',
      String(queue.frame_timeout_ms),
      // The driver must finish draining before the supervisor's patience runs out.
      '--drain-timeout-ms',
      String(Math.floor(supervisor.stop_timeout_ms * 0.8)),
      ...(queue.group_commit ? [] : ['--no-group-commit']),
      ...(database.type === 'postgres' ? ['--pool-size', String(database.pool_size), '--pgvector', database.pgvector] : ['--read-threads', String(database.read_threads)]),
      ...childFlags(config, launch.supervisorPid),
    ],
    logFile: paths.logFile('driver'),
    pidFile: paths.pidFile('driver'),
    // Node 20 parses the file NODE_EXTRA_CA_CERTS names at every start (30+ ms for a system
    // bundle, on the critical path of a one-shot command's transient driver); SQLite makes
    // no TLS connection. PostgreSQL may, through a proxy the variable is there for.
    withoutEnv: database.type === 'sqlite' ? ['NODE_EXTRA_CA_CERTS'] : [],
    async ready(child) {
      await child.readyEvent;
      await ping();
    },
    async checkHealth() {
      const unreachable = await probeSocket(runtime, paths.socket, supervisor.ping_timeout_ms);
      if (unreachable !== null) throw new ServiceUnreachable(`new clients cannot connect: ${unreachable}`);
      await ping();
    },
    ...timing(config),
  };
}

/**
 * A worker of the given kind, started by the one launcher (`code-analysis worker KIND`).
 * It is given the driver's socket and never starts a driver. Healthy while its heartbeats
 * keep coming.
 */
export function workerService(launch: Launch, kind: string, config: Config, paths: RunPaths): ServiceSpec {
  const name = `worker-${kind}`;
  const patienceMs = config.supervisor.health_interval_ms * 2;
  return {
    name,
    kind: 'worker',
    command: [
      ...launch.self,
      'worker',
      kind,
      '--config',
      paths.effectiveConfig,
      '--socket',
      paths.socket,
      '--pid-file',
      paths.pidFile(name),
      ...childFlags(config, launch.supervisorPid),
    ],
    logFile: paths.logFile(name),
    pidFile: paths.pidFile(name),
    ready: (child) => child.readyEvent,
    async checkHealth(child) {
      const silentMs = Date.now() - child.lastHeartbeatAt;
      if (silentMs > patienceMs) throw new Error(`no heartbeat for ${silentMs} ms`);
    },
    ...timing(config),
  };
}
