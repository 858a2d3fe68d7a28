import type { WorkerDefinition } from './types.ts';

/** Every worker kind the launcher can start; each loads only when started. */
export const WORKER_KINDS: Readonly<Record<string, () => Promise<WorkerDefinition>>> = {
  maintenance: async () => (await import('./maintenance.ts')).default,
  indexer: async () => (await import('./indexer.ts')).default,
  vectorizer: async () => (await import('./vectorizer.ts')).default,
};
