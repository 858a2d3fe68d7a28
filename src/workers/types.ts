import type { Logger } from '../runtime/logger.ts';
import type { Config } from '../config/schema.ts';
import type { RunPaths } from '../config/run-paths.ts';
import type { DatabaseClient } from '../db/database-client.ts';
import type { Runtime } from '../runtime/types.ts';

/** What a worker gets from the launcher: it never starts a driver, it is given one. */
export interface WorkerContext {
  runtime: Runtime;
  logger: Logger;
  config: Config;
  paths: RunPaths;
  /** A client on the driver's socket; reconnects by itself when the driver restarts. */
  db: DatabaseClient;
  /** Report progress; the supervisor shows the latest report under the service's details. */
  report(details: Record<string, unknown>): void;
}

export interface RunningWorker {
  /** Finish or abandon the current step and release everything; called once. */
  stop(): Promise<void>;
}

/** One kind of worker (maintenance, indexer, …), started by the one launcher. */
export interface WorkerDefinition {
  start(context: WorkerContext): Promise<RunningWorker>;
}
