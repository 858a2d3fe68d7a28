import type { Logger } from '../runtime/logger.ts';
import type { FileSystem } from '../runtime/types.ts';

/** The first re-arm after a failed watch waits this long; each failure in a row doubles it. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;

export interface SourceWatchersOptions {
  fs: Pick<FileSystem, 'watch'>;
  logger: Logger;
  /** Changes under it are not source changes (the server's own data dir inside a watched tree). */
  ignoredDir: string;
  /** Something under the project root changed: `path` when the platform said what. */
  onChange(root: string, path: string | null): void;
  /** The watch of `root` failed and was closed; `watch(root)` re-arms it once `retryInMs` have passed. */
  onFailure(root: string, retryInMs: number): void;
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/**
 * The indexer's file watchers, one per project root: a watch that fails (a vanished root,
 * a watch limit) is counted, reported, and armed again with a growing delay instead of
 * being lost until the next periodic rescan.
 */
export class SourceWatchers {
  private readonly stops = new Map<string, () => void>();
  private readonly failuresInARow = new Map<string, number>();
  private readonly retryAt = new Map<string, number>();
  private errors = 0;
  private lastError: string | null = null;

  constructor(private readonly options: SourceWatchersOptions) {}

  /** Watch `root` unless it is watched already or waits for its retry. */
  watch(root: string): void {
    if (this.stops.has(root) || Date.now() < (this.retryAt.get(root) ?? 0)) return;
    const { fs, logger, ignoredDir } = this.options;
    try {
      const stop = fs.watch(
        root,
        (changed) => {
          if (changed !== null && isInside(changed, ignoredDir)) return;
          // Events arrive: this watch works.
          this.failuresInARow.delete(root);
          this.options.onChange(root, changed);
        },
        (error) => this.failed(root, error),
      );
      this.stops.set(root, stop);
    } catch (error) {
      logger.warn(`cannot watch ${root} (${(error as Error).message}); relying on the periodic rescan`);
    }
  }

  unwatch(root: string): void {
    this.stops.get(root)?.();
    this.stops.delete(root);
  }

  unwatchAll(): void {
    for (const root of [...this.stops.keys()]) this.unwatch(root);
  }

  /** For /status: how often a watch failed, and the last reason. */
  stats(): { watch_errors: number; last_watch_error: string | null } {
    return { watch_errors: this.errors, last_watch_error: this.lastError };
  }

  private failed(root: string, error: Error): void {
    this.stops.delete(root);
    this.errors++;
    this.lastError = `${root}: ${error.message}`;
    const failures = (this.failuresInARow.get(root) ?? 0) + 1;
    this.failuresInARow.set(root, failures);
    const retryInMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1));
    this.retryAt.set(root, Date.now() + retryInMs);
    this.options.logger.warn(`watching ${root} failed (${error.message}); watching it again in ${retryInMs} ms`);
    this.options.onFailure(root, retryInMs);
  }
}
