import type { Logger } from '../runtime/logger.ts';
import type { RunPaths } from '../config/run-paths.ts';
import type { Config } from '../config/schema.ts';
import { UniversalDriver } from '../db/universal-driver.ts';
import type { Runtime } from '../runtime/types.ts';
import { type ChildEvent, formatChildEvent } from '../ipc/child-events.ts';
import { PidFile } from '../runtime/pid-file.ts';
import { waitForShutdownSignal } from '../runtime/shutdown-signal.ts';
import { WORKER_KINDS } from './registry.ts';

export interface WorkerLaunchOptions {
  kind: string;
  config: Config;
  paths: RunPaths;
  /** The driver's socket: a worker is given a driver, it never starts one. */
  socketPath: string;
  pidFile: string;
  /** Resolves when the worker should stop; SIGTERM, SIGINT or the supervisor's end when not given. */
  shutdown?: Promise<void>;
  /** The supervisor's pid: the worker stops when that process is gone. */
  supervisorPid?: number;
  /** Where events for the supervisor go; JSON lines on stderr when not given. */
  emit?: (event: ChildEvent) => void;
}

/**
 * The one launcher of every worker kind: claims the worker's PID file, connects to the
 * driver, starts the kind, tells the supervisor it is ready, sends heartbeats, and on
 * shutdown stops the kind before letting go of the driver.
 */
export async function runWorker(runtime: Runtime, logger: Logger, options: WorkerLaunchOptions): Promise<void> {
  const load = WORKER_KINDS[options.kind];
  if (!load) throw new Error(`unknown worker kind "${options.kind}" (known: ${Object.keys(WORKER_KINDS).join(', ')})`);
  const emit = options.emit ?? ((event: ChildEvent) => runtime.writeStderr(formatChildEvent(event)));
  const pidFile = new PidFile(runtime, options.pidFile, `worker ${options.kind}`);
  await pidFile.claim();
  // The socket the supervisor gave; in_process (PostgreSQL), a small pool of the worker's own.
  // The server's own process: its connection is the owner's (it writes the index).
  const hello = { client: `worker-${options.kind}`, role: 'owner' as const };
  const { db, close } = await new UniversalDriver(runtime, options.config).connect({ poolSize: 1, socketPath: options.socketPath, hello });
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  try {
    const definition = await load();
    const worker = await definition.start({
      runtime,
      logger,
      config: options.config,
      paths: options.paths,
      db,
      report: (details) => emit({ event: 'progress', details }),
    });
    // Logged before the event: once the event is out, the supervisor moves on.
    logger.info(`worker ${options.kind} ready, pid ${runtime.pid}`);
    emit({ event: 'ready' });
    // Twice per health interval, so one late beat is not taken for a hang.
    heartbeat = setInterval(() => emit({ event: 'heartbeat' }), Math.max(1, options.config.supervisor.health_interval_ms / 2));
    await (options.shutdown ?? waitForShutdownSignal(runtime, options.supervisorPid));
    logger.info(`worker ${options.kind} stopping`);
    await worker.stop();
    logger.info(`worker ${options.kind} stopped`);
  } finally {
    clearInterval(heartbeat);
    await close();
    await pidFile.release();
  }
}
