/** When to restart a crashed service, and when to give up on it (DESIGN §7). */
export interface RestartPolicyOptions {
  /** More restarts than this within `windowMs` marks the service failed. */
  maxRestarts: number;
  windowMs: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export type RestartDecision = { restart: true; delayMs: number } | { restart: false; reason: string };

/**
 * Exponential backoff over the restarts still inside the window: the first crash after a
 * quiet spell restarts almost at once, a crash loop slows down, and one restart too many
 * within the window ends it.
 */
export class RestartPolicy {
  private restarts: number[] = [];
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: RestartPolicyOptions) {
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
  }

  /** Restarts so far (all time), for status and metrics. */
  total = 0;

  decide(now = Date.now()): RestartDecision {
    this.restarts = this.restarts.filter((at) => now - at < this.options.windowMs);
    if (this.restarts.length >= this.options.maxRestarts) {
      return {
        restart: false,
        reason: `${this.restarts.length} restarts within ${this.options.windowMs} ms (max_restarts ${this.options.maxRestarts})`,
      };
    }
    const delayMs = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** this.restarts.length);
    this.restarts.push(now);
    this.total++;
    return { restart: true, delayMs };
  }
}
