import type { Runtime } from '../runtime/types.ts';

/** Resolves at the first SIGTERM or SIGINT: the request to shut down in order. */
export function waitForShutdownSignal(runtime: Runtime): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = [runtime.onSignal('SIGTERM', () => done()), runtime.onSignal('SIGINT', () => done())];
    const done = () => {
      for (const stop of unsubscribe) stop();
      resolve();
    };
  });
}
