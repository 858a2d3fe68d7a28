import { defineCommand } from 'citty';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { IntegerFlag, parseFlags } from '../args.ts';
import { CONFIG_ARGS, loadConfigFromArgs } from '../config-args.ts';
import type { CliContext } from '../context.ts';
import { withDatabase } from '../database-session.ts';
import { EmbeddingSource } from '../../analysis/embedding-source.ts';
import { semanticSearch } from '../../analysis/semantic-search.ts';
import { createLogger } from '../../runtime/logger.ts';

const SearchFlags = v.object({
  query: v.pipe(v.string(), v.trim(), v.minLength(1, 'a query is required')),
  kind: v.optional(v.picklist(['class', 'function', 'method', 'import'], 'must be class, function, method or import')),
  limit: v.optional(IntegerFlag(1), '50'),
  project: v.optional(v.string()),
  json: v.boolean(),
  semantic: v.boolean(),
});

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'search', description: 'Search indexed symbols by name and by docstring text, or by meaning with --semantic' },
    args: {
      query: { type: 'positional', description: 'Words to look for', required: true },
      ...CONFIG_ARGS,
      kind: { type: 'string', description: 'class|function|method|import' },
      limit: { type: 'string', description: 'Most results (default 50)' },
      project: { type: 'string', description: 'Only this project (its directory)' },
      json: { type: 'boolean', default: false, description: 'Print a JSON array of {name, kind, qualified_name, path, line_start, line_end}' },
      semantic: { type: 'boolean', default: false, description: 'Rank definitions by meaning and words (embeddings fused with full text); a question in words works' },
    },
    async run({ args }) {
      const { runtime } = context;
      const flags = parseFlags(SearchFlags, {
        query: args._.join(' '),
        kind: args.kind,
        limit: args.limit ?? (args.semantic ? '20' : undefined),
        project: args.project,
        json: args.json,
        semantic: args.semantic,
      });
      const { config } = await loadConfigFromArgs(runtime, args);
      const logger = createLogger(runtime, { level: 'warn', tag: 'search' });
      const hits = await withDatabase(runtime, config, logger, async ({ code }) => {
        let projectId: number | undefined;
        if (flags.project !== undefined) {
          const root = resolve(runtime.cwd(), flags.project);
          const project = await code.projectByRoot(root);
          if (!project) throw new Error(`${root} is not an indexed project`);
          projectId = project.id;
        }
        if (!flags.semantic) return code.search(flags.query, { kind: flags.kind, projectId, limit: flags.limit });
        const source = new EmbeddingSource(config.embeddings, { fs: runtime.fs });
        try {
          const answer = await semanticSearch(code, source, flags.query, { kind: flags.kind, projectId, limit: flags.limit });
          // Never a silent fallback: said on stderr, so --json's stdout stays today's array.
          if (answer.vectors.notice) runtime.writeStderr(`note: ${answer.vectors.notice}\n`);
          return answer.symbols;
        } finally {
          await source.close();
        }
      });
      if (flags.json) {
        const rows = hits.map(({ name, kind, qualified_name, path, line_start, line_end }) => ({ name, kind, qualified_name, path, line_start, line_end }));
        runtime.writeStdout(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (hits.length === 0) runtime.writeStdout(`no symbol matches "${flags.query}"\n`);
      for (const hit of hits) runtime.writeStdout(`${hit.kind.padEnd(8)} ${hit.qualified_name}  ${hit.project}/${hit.path}:${hit.line_start}-${hit.line_end}\n`);
    },
  });
