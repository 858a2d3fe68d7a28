export interface Repeating {
  /** Cancel the next run and wait for the one in progress, if any. */
  stop(): Promise<void>;
}

/**
 * Run `run` after `firstDelayMs`, then `nextDelayMs()` after each run has ended, so runs of
 * one task never overlap. `run` handles its own errors; a stray rejection is dropped so the
 * next run still happens.
 */
export function repeat(run: () => Promise<void>, timing: { firstDelayMs: number; nextDelayMs: () => number }): Repeating {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> | undefined;
  let stopped = false;
  const arm = (delayMs: number) => {
    timer = setTimeout(() => {
      timer = undefined;
      current = run()
        .catch(() => undefined)
        .finally(() => {
          current = undefined;
          if (!stopped) arm(timing.nextDelayMs());
        });
    }, delayMs);
  };
  arm(timing.firstDelayMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
