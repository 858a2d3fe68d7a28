/** What the indexer worker reports for one watched directory: a scan's progress, or `waiting`. */
export type IndexerProgress = { root: string; state: string } & Record<string, unknown>;

/**
 * The indexer worker of a running server, as the tools see it: its progress (for
 * `index_status`) and a way to make it rescan now (for `reindex`).
 */
export interface IndexerLink {
  /** The latest progress per watched project, or null when no indexer worker runs. */
  progress(): Promise<IndexerProgress[] | null>;
  /**
   * Ask the running indexer worker to rescan every project it watches now (it rescans on
   * SIGHUP); false when none runs.
   */
  requestRescan(): Promise<boolean>;
  /** What the running vectorizer worker reports (src/workers/vectorizer.ts), or null when none runs. */
  vectorizer(): Promise<Record<string, unknown> | null>;
}

/** The parts of a supervisor's status (GET /status) the link reads. */
export interface StatusLike {
  services: Array<{ name: string; state: string; pid: number | null; details?: Record<string, unknown> }>;
}

const INDEXER_SERVICE = 'worker-indexer';
const VECTORIZER_SERVICE = 'worker-vectorizer';

export const NO_INDEXER: IndexerLink = {
  progress: async () => null,
  requestRescan: async () => false,
  vectorizer: async () => null,
};

/** A link read from a server's status: in serve from the supervisor itself, elsewhere from GET /status. */
export function indexerLinkFromStatus(readStatus: () => Promise<StatusLike | null>, signalRescan: (pid: number) => boolean): IndexerLink {
  const running = async (name: string) => {
    const service = (await readStatus())?.services.find((entry) => entry.name === name);
    return service && service.state === 'running' ? service : undefined;
  };
  const indexer = () => running(INDEXER_SERVICE);
  return {
    async progress() {
      const service = await indexer();
      if (!service) return null;
      const projects = service.details?.projects;
      return Array.isArray(projects) ? projects.filter(isProgress) : [];
    },
    async requestRescan() {
      const pid = (await indexer())?.pid;
      return typeof pid === 'number' && signalRescan(pid);
    },
    async vectorizer() {
      const service = await running(VECTORIZER_SERVICE);
      return service ? (service.details ?? {}) : null;
    },
  };
}

function isProgress(value: unknown): value is IndexerProgress {
  const entry = value as Partial<IndexerProgress> | null;
  return typeof entry?.root === 'string' && typeof entry.state === 'string';
}
