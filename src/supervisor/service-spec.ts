import type { ServiceKind } from './types.ts';

/** A child process as the supervisor sees it while it runs. */
export interface RunningChild {
  readonly pid: number;
  /** The last `heartbeat` (or `ready`) event's time, ms since the epoch. */
  readonly lastHeartbeatAt: number;
  /** Resolves at the child's first `ready` event. */
  readonly readyEvent: Promise<void>;
}

/**
 * Everything the supervisor needs to run one service: how to start it, how to know it is
 * ready, how to check its health, and how patient to be (DESIGN §7).
 */
export interface ServiceSpec {
  name: string;
  kind: ServiceKind;
  /** Full argv of the child (the runtime's self command plus the subcommand). */
  command: string[];
  /** Where the child's output goes. */
  logFile: string;
  /** The child's own PID file, which the supervisor removes if the child dies without doing so. */
  pidFile: string;
  /** Variables of the supervisor's environment the child does not inherit. */
  withoutEnv?: string[];
  /** Resolves once the started child serves; the supervisor bounds it by `startTimeoutMs`. */
  ready(child: RunningChild): Promise<void>;
  /**
   * Throws when the service is unhealthy; `maxMissedChecks` failures in a row restart it,
   * a `ServiceUnreachable` at once.
   */
  checkHealth(child: RunningChild): Promise<void>;
  healthIntervalMs: number;
  maxMissedChecks: number;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  maxRestarts: number;
  restartWindowMs: number;
  /** Delay before the first restart after a quiet spell; it doubles per restart in the window. */
  initialBackoffMs?: number;
}

/**
 * A health check failure that waiting cannot mend (the driver's socket file was deleted:
 * no new client can ever reach it). The supervisor stops the child at once (SIGTERM, so it
 * drains what it has) and restarts it.
 */
export class ServiceUnreachable extends Error {
  override readonly name = 'ServiceUnreachable';
}
