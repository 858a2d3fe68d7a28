/**
 * The supervisor's contract with the rest of the program: what a service is, and what the
 * supervisor reports about each (DESIGN §7). The HTTP server and `status` read only these.
 */

export type ServiceKind = 'driver' | 'worker' | 'http';

export type ServiceState = 'starting' | 'running' | 'backoff' | 'failed' | 'stopping' | 'stopped';

export type ServiceHealth = 'ok' | 'unhealthy' | 'unknown';

export interface ServiceStatus {
  name: string;
  kind: ServiceKind;
  state: ServiceState;
  pid: number | null;
  /** ISO time the current run started (for the HTTP server: when it began listening). */
  started_at: string | null;
  /** ISO time the current run became ready (answered ping, reported ready, listened). */
  ready_at: string | null;
  uptime_ms: number | null;
  restarts: number;
  health: ServiceHealth;
  /** Why it last stopped, failed or was found unhealthy. */
  last_error: string | null;
  /** What the service reports about its own work (a worker's progress events). */
  details: Record<string, unknown>;
}

export interface SupervisorStatus {
  pid: number;
  version: string;
  state: 'starting' | 'running' | 'stopping';
  started_at: string;
  uptime_ms: number;
  data_dir: string;
  services: ServiceStatus[];
}
