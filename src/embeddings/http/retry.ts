import { RpcError } from '../../ipc/errors.ts';

export interface RetryOptions {
  /** Tries after the first. */
  retries: number;
  /** The first wait; each next one doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** What a failed attempt says: try again (after at least `afterMs`, when the server said so), or give up. */
export type Verdict = { retry: true; afterMs?: number } | { retry: false };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Run `attempt` until it succeeds, it fails in a way `judge` says not to retry, or the
 * retries are spent; waits base·2ⁿ between attempts (no jitter: one worker calls one
 * service), or longer when the server asked for it (Retry-After), never above maxDelayMs.
 * The last error is thrown as it was.
 */
export async function withRetry<T>(attempt: () => Promise<T>, judge: (error: RpcError) => Verdict, options: RetryOptions): Promise<T> {
  for (let tried = 0; ; tried++) {
    try {
      return await attempt();
    } catch (thrown) {
      const error = RpcError.from(thrown);
      const verdict = judge(error);
      if (!verdict.retry || tried >= options.retries) throw error;
      const backoff = options.baseDelayMs * 2 ** tried;
      await sleep(Math.min(options.maxDelayMs, Math.max(backoff, verdict.afterMs ?? 0)));
    }
  }
}
