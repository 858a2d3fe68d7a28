import type { Logger } from '../runtime/logger.ts';
import type { AppendFile, ChildProcess, Runtime } from '../runtime/types.ts';
import type { ChildEvent } from '../ipc/child-events.ts';
import { pumpLines } from './child-output.ts';
import { failureReason } from './last-words.ts';
import { PidFile } from '../runtime/pid-file.ts';
import { RestartPolicy } from './restart-policy.ts';
import { type RunningChild, type ServiceSpec, ServiceUnreachable } from './service-spec.ts';
import type { ServiceHealth, ServiceState, ServiceStatus } from './types.ts';

interface Run extends RunningChild {
  child: ChildProcess;
  lastHeartbeatAt: number;
  startedAt: number;
  readyAt: number | null;
  /** Resolves with a description of how the child ended, once its output is drained. */
  ended: Promise<string>;
  /** The last reason for failing the child gave on stderr (an error log line, a fatal message). */
  lastFailure: string | null;
}

function describeExit(exit: { code: number | null; signal: string | null }): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** Reject with `message` after `ms`, unless `work` settles first. */
function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One supervised child process: starts it and waits until it is ready, sends its output to
 * the service's log file, checks its health, restarts it with backoff when it crashes or
 * hangs, marks it failed after too many restarts, and stops it (SIGTERM, then SIGKILL).
 */
export class ManagedService {
  private state: ServiceState = 'stopped';
  private health: ServiceHealth = 'unknown';
  private lastError: string | null = null;
  private details: Record<string, unknown> = {};
  private run: Run | null = null;
  private log: AppendFile | null = null;
  private readonly policy: RestartPolicy;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private healthTimer: ReturnType<typeof setTimeout> | undefined;
  private missedChecks = 0;
  private stopRequested = false;
  private readonly logger: Logger;

  constructor(
    private readonly runtime: Runtime,
    logger: Logger,
    readonly spec: ServiceSpec,
  ) {
    this.logger = logger.withTag(spec.name);
    this.policy = new RestartPolicy({
      maxRestarts: spec.maxRestarts,
      windowMs: spec.restartWindowMs,
      initialBackoffMs: spec.initialBackoffMs,
    });
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | null {
    return this.run?.pid ?? null;
  }

  /** Start the child and wait until it is ready; throws (naming the log file) when it is not. */
  async start(): Promise<void> {
    this.log ??= await this.runtime.fs.openAppend(this.spec.logFile, 0o600);
    this.state = 'starting';
    const run = this.spawn();
    const endedEarly = run.ended.then((how) => {
      throw new Error(`${how} before it was ready${run.lastFailure ? `: ${run.lastFailure}` : ''}`);
    });
    try {
      await withTimeout(
        Promise.race([this.spec.ready(run), endedEarly]),
        this.spec.startTimeoutMs,
        `not ready within ${this.spec.startTimeoutMs} ms`,
      );
    } catch (error) {
      run.child.kill('SIGKILL');
      await run.ended;
      this.run = null;
      const reason = `${this.name} did not start: ${(error as Error).message} (see ${this.spec.logFile})`;
      this.lastError = reason;
      this.state = 'stopped';
      throw new Error(reason);
    }
    run.readyAt = Date.now();
    this.health = 'ok';
    this.missedChecks = 0;
    this.state = 'running';
    this.scheduleHealthCheck();
    this.watchExit(run);
  }

  /** SIGTERM, then SIGKILL after the stop timeout; resolves once the child is gone. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.healthTimer);
    const run = this.run;
    if (run) {
      this.state = 'stopping';
      run.child.kill('SIGTERM');
      const stopped = await withTimeout(run.ended, this.spec.stopTimeoutMs, 'stop timeout').then(
        () => true,
        () => false,
      );
      if (!stopped) {
        this.logger.warn(`did not stop within ${this.spec.stopTimeoutMs} ms; sending SIGKILL`);
        run.child.kill('SIGKILL');
        await run.ended;
      }
      this.run = null;
    }
    if (this.state !== 'failed') this.state = 'stopped';
    await this.log?.close();
    this.log = null;
  }

  status(): ServiceStatus {
    const run = this.run;
    return {
      name: this.name,
      kind: this.spec.kind,
      state: this.state,
      pid: run?.pid ?? null,
      started_at: run ? new Date(run.startedAt).toISOString() : null,
      ready_at: run?.readyAt ? new Date(run.readyAt).toISOString() : null,
      uptime_ms: run ? Date.now() - run.startedAt : null,
      restarts: this.policy.total,
      health: this.health,
      last_error: this.lastError,
      details: this.details,
    };
  }

  private spawn(): Run {
    const child = this.runtime.spawn(this.spec.command, { stdout: 'pipe', stderr: 'pipe', withoutEnv: this.spec.withoutEnv });
    const now = Date.now();
    let resolveReady = () => {};
    const run: Run = {
      pid: child.pid,
      child,
      startedAt: now,
      readyAt: null,
      lastHeartbeatAt: now,
      readyEvent: new Promise<void>((resolve) => (resolveReady = resolve)),
      ended: Promise.resolve(''),
      lastFailure: null,
    };
    const onEvent = (event: ChildEvent) => {
      run.lastHeartbeatAt = Date.now();
      if (event.event === 'ready') resolveReady();
      if (event.details) this.details = event.details;
    };
    const onLine = (line: string) => {
      run.lastFailure = failureReason(line) ?? run.lastFailure;
    };
    const write = (line: string) => this.log?.write(line);
    const output = [pumpLines(child.stdout, { write }), pumpLines(child.stderr, { write, onEvent, onLine })];
    run.ended = Promise.all([child.exited, ...output]).then(async ([exit]) => {
      const how = describeExit(exit);
      this.writeLog('info', `pid ${child.pid} ${how}`);
      const pidFile = new PidFile(this.runtime, this.spec.pidFile);
      if ((await pidFile.read()) === child.pid) await this.runtime.fs.rm(this.spec.pidFile);
      return how;
    });
    this.run = run;
    this.writeLog('info', `started pid ${child.pid}: ${this.spec.command.join(' ')}`);
    return run;
  }

  private writeLog(level: string, message: string): void {
    this.log?.write(`${JSON.stringify({ time: new Date().toISOString(), level, tag: 'supervisor', message })}\n`);
  }

  private watchExit(run: Run): void {
    run.ended.then((how) => {
      if (this.run !== run || this.stopRequested) return;
      this.run = null;
      clearTimeout(this.healthTimer);
      this.crashed(this.lastError && this.health === 'unhealthy' ? `${this.lastError}; ${how}` : how);
    });
  }

  private crashed(how: string): void {
    if (this.stopRequested) return;
    this.health = 'unhealthy';
    const decision = this.policy.decide();
    if (!decision.restart) {
      this.lastError = `${how}; gave up after ${decision.reason}`;
      this.logger.error(`failed: ${this.lastError}`);
      this.state = 'failed';
      return;
    }
    this.lastError = how;
    this.logger.warn(`${how}; restarting in ${decision.delayMs} ms (restart ${this.policy.total})`);
    this.state = 'backoff';
    this.restartTimer = setTimeout(() => {
      this.start().catch((error: Error) => this.crashed(error.message));
    }, decision.delayMs);
  }

  /** SIGTERM, so the child drains what it took; SIGKILL if it has not exited by the stop timeout. */
  private terminate(run: Run): void {
    run.child.kill('SIGTERM');
    const timer = setTimeout(() => run.child.kill('SIGKILL'), this.spec.stopTimeoutMs);
    void run.ended.then(() => clearTimeout(timer));
  }

  private scheduleHealthCheck(): void {
    this.healthTimer = setTimeout(() => void this.checkHealth(), this.spec.healthIntervalMs);
  }

  private async checkHealth(): Promise<void> {
    const run = this.run;
    if (!run || this.state !== 'running') return;
    try {
      await this.spec.checkHealth(run);
      if (this.run !== run) return;
      this.missedChecks = 0;
      this.health = 'ok';
    } catch (error) {
      // A check of a child that has since died says nothing about the one started after it.
      if (this.run !== run) return;
      this.missedChecks++;
      this.health = 'unhealthy';
      this.lastError = `health check failed ${this.missedChecks} time(s): ${(error as Error).message}`;
      this.logger.warn(this.lastError);
      if (error instanceof ServiceUnreachable) {
        this.logger.error(`unreachable: ${error.message}; stopping pid ${run.pid} to start it again`);
        this.terminate(run);
        return;
      }
      if (this.missedChecks >= this.spec.maxMissedChecks) {
        this.logger.error(`unresponsive after ${this.missedChecks} health checks; killing pid ${run.pid}`);
        run.child.kill('SIGKILL');
        return;
      }
    }
    if (this.run === run && this.state === 'running') this.scheduleHealthCheck();
  }
}
