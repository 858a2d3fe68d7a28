import { RpcError } from '../../ipc/errors.ts';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** How long it stays open before one call may probe again. */
  openMs: number;
  /** Milliseconds since some epoch; injectable so tests need not wait. */
  now?: () => number;
  /** Whether an error says the service is down (the default: every error). A refused request from a service that is up does not count. */
  isOutage?: (error: unknown) => boolean;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker in front of a remote service: after `failures` failures in a row it
 * opens, and every call fails at once (CONNECTION_ERROR with `retry_after_ms`) instead of
 * waiting on a service that is down; after `openMs` one call goes through as a probe — its
 * success closes the circuit, its failure opens it again for another `openMs`.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | null = null;
  private probing = false;
  private readonly now: () => number;

  constructor(
    private readonly name: string,
    private readonly options: CircuitBreakerOptions,
  ) {
    this.now = options.now ?? (() => Date.now());
  }

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.options.openMs ? 'half-open' : 'open';
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.probing)) {
      const retryAfter = Math.max(0, this.openedAt! + this.options.openMs - this.now());
      throw new RpcError('CONNECTION_ERROR', `${this.name} is unavailable: ${this.consecutiveFailures} calls failed in a row; next try in ${retryAfter} ms`, {
        circuit: 'open',
        retry_after_ms: retryAfter,
      });
    }
    this.probing = state === 'half-open';
    try {
      const result = await call();
      this.consecutiveFailures = 0;
      this.openedAt = null;
      return result;
    } catch (error) {
      if (this.options.isOutage?.(error) ?? true) {
        this.consecutiveFailures++;
        if (this.probing || this.consecutiveFailures >= this.options.failures) this.openedAt = this.now();
      } else {
        this.consecutiveFailures = 0;
        this.openedAt = null;
      }
      throw error;
    } finally {
      this.probing = false;
    }
  }
}
