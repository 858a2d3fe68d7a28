import type { Runtime } from './types.ts';

/** How often a child looks whether its supervisor is still there. */
const SUPERVISOR_POLL_MS = 1000;

/**
 * Resolves at the first SIGTERM or SIGINT, or, given the supervisor's pid, once that
 * process is gone: a child whose supervisor was killed shuts down in order instead of
 * living on as an orphan that holds the socket and the PID files.
 */
export function waitForShutdownSignal(runtime: Runtime, supervisorPid?: number): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = [runtime.onSignal('SIGTERM', () => done()), runtime.onSignal('SIGINT', () => done())];
    const poll =
      supervisorPid === undefined
        ? undefined
        : setInterval(() => {
            if (!runtime.isPidAlive(supervisorPid)) done();
          }, SUPERVISOR_POLL_MS);
    const done = () => {
      for (const stop of unsubscribe) stop();
      clearInterval(poll);
      resolve();
    };
  });
}
