import { defineCommand } from 'citty';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { EmbeddingSource } from '../../analysis/embedding-source.ts';
import { ProviderFailure, type VectorProgress, vectorizeProject } from '../../analysis/vectorizer.ts';
import { createLogger } from '../../runtime/logger.ts';
import { parseFlags } from '../args.ts';
import { CONFIG_ARGS, loadConfigFromArgs } from '../config-args.ts';
import type { CliContext } from '../context.ts';
import { withDatabase } from '../database-session.ts';
import { progressBar } from '../progress-bar.ts';

const EmbedFlags = v.object({
  project: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  force: v.boolean(),
  json: v.boolean(),
  log_level: v.optional(v.picklist(['silent', 'error', 'warn', 'info', 'debug'], 'must be silent, error, warn, info or debug'), 'warn'),
});

function summary(result: VectorProgress): string {
  const counts = `${result.embedded} of ${result.symbols} definitions with a vector, ${result.empty} without (nothing the model knows), ${result.pending} pending`;
  return `${result.root}: ${result.state}, ${result.done} embedded now; ${counts} (${result.model_id ?? 'no model'})${result.error ? ` — ${result.error}` : ''}`;
}

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'embed', description: 'Embed the definitions of indexed projects for semantic search (what the vectorizer worker does), with progress on stderr' },
    args: {
      ...CONFIG_ARGS,
      project: { type: 'string', description: 'Only this project (its directory); every indexed project by default' },
      force: { type: 'boolean', default: false, description: 'Forget the stored vectors (and refit the builtin model) and embed everything again' },
      json: { type: 'boolean', default: false, description: 'Print the results as JSON' },
      'log-level': { type: 'string', description: 'silent|error|warn|info|debug (default warn)' },
    },
    async run({ args }) {
      const { runtime } = context;
      const flags = parseFlags(EmbedFlags, { project: args.project, force: args.force, json: args.json, log_level: args['log-level'] });
      const { config } = await loadConfigFromArgs(runtime, args);
      const logger = createLogger(runtime, { level: flags.log_level, tag: 'embed' });
      const results = await withDatabase(runtime, config, logger, async ({ code }) => {
        let projects = await code.projects();
        if (flags.project !== undefined) {
          const root = resolve(runtime.cwd(), flags.project);
          projects = projects.filter((project) => project.root === root);
          if (projects.length === 0) throw new Error(`${root} is not an indexed project (index it first: code-analysis index ${root})`);
        }
        const source = new EmbeddingSource(config.embeddings, { fs: runtime.fs });
        const done: VectorProgress[] = [];
        try {
          for (const project of projects) {
            if (flags.force) await code.vectors.clear(project.id);
            const bar = progressBar(runtime, project.root, (await code.vectors.counts(project.id, null)).symbols);
            const detail = (step: VectorProgress) => `(${step.state}, ${step.done} embedded now)`;
            const onProgress = (step: VectorProgress) => bar.update(step.embedded + step.empty, detail(step));
            try {
              const result = await vectorizeProject({ fs: runtime.fs, code, source, logger, batchSize: config.workers.vectorizer.batch_size }, project, { onProgress });
              bar.finish(result.embedded + result.empty, detail(result));
              done.push(result);
            } catch (error) {
              if (!(error instanceof ProviderFailure)) throw error;
              const counts = await code.vectors.counts(project.id, (await code.vectors.model(project.id, source.kind))?.model_id ?? null);
              bar.finish(counts.embedded + counts.empty, '(failed)');
              done.push({ project_id: project.id, root: project.root, provider: source.kind, model_id: null, state: 'failed', ...counts, done: 0, error: error.message });
            }
          }
        } finally {
          await source.close();
        }
        return done;
      });
      runtime.writeStdout(flags.json ? `${JSON.stringify(results, null, 2)}\n` : `${results.map(summary).join('\n')}\n`);
      if (results.some((result) => result.state !== 'ready')) context.exitCode = 1;
    },
  });
