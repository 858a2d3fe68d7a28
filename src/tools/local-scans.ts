import type { ScanProgress } from '../analysis/indexer.ts';

type Scan = { progress: ScanProgress; done: Promise<unknown> };

/**
 * The project scans this process runs itself (a `reindex` where no indexer worker watches
 * the project): at most one per project at a time, their latest progress kept for
 * `index_status`, and all of them stopped together when the process shuts down.
 */
export class LocalScans {
  private readonly scans = new Map<number, Scan>();
  private stopping = false;

  /**
   * Start a scan of the project unless one is running; `run` reports progress and checks
   * whether to stop. Returns the running scan's progress either way.
   */
  start(
    projectId: number,
    initial: ScanProgress,
    run: (onProgress: (progress: ScanProgress) => void, shouldStop: () => boolean) => Promise<ScanProgress>,
  ): { started: boolean; progress: ScanProgress } {
    const current = this.scans.get(projectId);
    if (current?.progress.state === 'scanning') return { started: false, progress: current.progress };
    const scan: Scan = { progress: initial, done: Promise.resolve() };
    const update = (progress: ScanProgress) => (scan.progress = progress);
    scan.done = run(update, () => this.stopping).then(update, (error: Error) =>
      update({ ...scan.progress, state: 'aborted', error: error.message, finished_at: new Date().toISOString() }),
    );
    this.scans.set(projectId, scan);
    return { started: true, progress: scan.progress };
  }

  /** The latest progress of this process's scan of the project, if it ran one. */
  progress(projectId: number): ScanProgress | undefined {
    return this.scans.get(projectId)?.progress;
  }

  /** Ask every scan to stop and wait for them: before the database they write to closes. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.scans.values()].map((scan) => scan.done));
  }
}
