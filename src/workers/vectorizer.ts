import { EmbeddingSource } from '../analysis/embedding-source.ts';
import { ProviderFailure, type VectorProgress, vectorizeProject } from '../analysis/vectorizer.ts';
import { CodeDatabase } from '../db/code-database.ts';
import type { ErrorCodeName } from '../ipc/errors.ts';
import { repeat } from './repeat.ts';
import type { WorkerContext, WorkerDefinition } from './types.ts';

/** What the vectorizer reports for /status, index_status and /metrics. */
export interface VectorizerReport {
  provider: string;
  /** Each project's vectors, as of its last step. */
  projects: VectorProgress[];
  /** Definitions embedded and stored since the worker started. */
  embedded_total: number;
  /** Failed provider calls since the worker started (each after its own retries), by error code. */
  provider_errors: { total: number; by_code: Partial<Record<ErrorCodeName, number>> };
  /** Other failures of a pass (a lost driver), retried next interval. */
  errors: number;
  last_error: { project: string | null; message: string; at: string } | null;
}

/**
 * The vectorization worker: embeds every project's definitions that have no vector of the
 * current model (src/analysis/vectorizer.ts), a batch at a time at low priority, then looks
 * again every interval_ms. A failing provider (an http outage, an open circuit) is counted
 * and tried again at the next interval — or when the circuit says it may — while the
 * indexer, another process, goes on; the vectors catch up once the provider is back.
 */
const vectorizer: WorkerDefinition = {
  async start(context: WorkerContext) {
    const { runtime, logger } = context;
    const settings = context.config.workers.vectorizer;
    const source = new EmbeddingSource(context.config.embeddings, { fs: runtime.fs });
    const projects = new Map<number, VectorProgress>();
    const report: VectorizerReport = {
      provider: source.kind,
      projects: [],
      embedded_total: 0,
      provider_errors: { total: 0, by_code: {} },
      errors: 0,
      last_error: null,
    };
    const publish = () => context.report({ ...report, projects: [...projects.values()] });
    let stopped = false;
    let code: CodeDatabase | undefined;
    let waitMs = settings.interval_ms;

    const pass = async () => {
      waitMs = settings.interval_ms;
      try {
        code ??= await CodeDatabase.open(context.db);
        const ctx = { fs: runtime.fs, code, source, logger, batchSize: settings.batch_size };
        for (const project of await code.projects()) {
          if (stopped) return;
          const before = projects.get(project.id)?.embedded;
          try {
            const result = await vectorizeProject(ctx, project, {
              onProgress: (progress) => {
                projects.set(project.id, progress);
                publish();
              },
              shouldStop: () => stopped,
            });
            report.embedded_total += result.done;
            if (result.done > 0 || before === undefined) logger.info(`${project.root}: ${result.done} definitions embedded, ${result.pending} pending (${result.model_id ?? 'no model'})`);
          } catch (error) {
            if (!(error instanceof ProviderFailure)) throw error;
            report.provider_errors.total++;
            report.provider_errors.by_code[error.error.codeName] = (report.provider_errors.by_code[error.error.codeName] ?? 0) + 1;
            report.last_error = { project: project.root, message: error.message, at: new Date().toISOString() };
            const known = projects.get(project.id);
            if (known) projects.set(project.id, { ...known, state: 'failed', error: error.message });
            waitMs = Math.max(waitMs, error.retryAfterMs ?? 0);
            logger.warn(`${project.root}: ${error.message}; trying again in ${waitMs} ms`);
          }
        }
      } catch (error) {
        report.errors++;
        report.last_error = { project: null, message: (error as Error).message, at: new Date().toISOString() };
        logger.warn(`vectorization pass failed (will try again): ${(error as Error).message}`);
      }
      publish();
    };

    publish();
    const task = repeat(pass, { firstDelayMs: 0, nextDelayMs: () => waitMs });
    return {
      async stop() {
        stopped = true;
        await task.stop();
        await source.close();
      },
    };
  },
};

export default vectorizer;
