import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddingSource } from '../../../src/analysis/embedding-source.ts';
import { projectName, scanProject } from '../../../src/analysis/indexer.ts';
import { indexingParser } from '../../../src/analysis/parse-pool.ts';
import { semanticSearch } from '../../../src/analysis/semantic-search.ts';
import { vectorizeProject } from '../../../src/analysis/vectorizer.ts';
import type { EmbeddingsConfig } from '../../../src/config/schema.ts';
import { openCodeIndex } from '../../../src/db/code-index.ts';
import { connectDatabase } from '../../../src/db/connect.ts';
import { createLogger } from '../../../src/runtime/logger.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { defaultEmbeddings } from '../../helpers/indexed-project.ts';
import { startDriver } from '../lib/driver-child.ts';
import { progress } from '../lib/progress.ts';
import { summarize } from '../lib/summary.ts';
import type { Tree } from './corpus.ts';
import { figures, firstHit, MRR_DEPTH } from './metrics.ts';
import type { LabelledQuery } from './query-set.ts';

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

async function databaseBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) if (name.startsWith('bench.db')) total += (await stat(join(dir, name))).size;
  return total;
}

/**
 * The labelled queries through the product's own path: a `code-analysis driver` child
 * (SQLite, sqlite-vec), each tree indexed as a project by the indexer, embedded by the
 * vectorizer (the builtin model fitted per project), and every question answered by the
 * semantic search the tools, HTTP and CLI call (any-term BM25 from FTS5 + vector_search,
 * fused). Also: parse (index) speed against embedding speed, and what vectors cost the
 * database per definition.
 */
export async function throughDriver(dir: string, trees: Tree[], queries: readonly LabelledQuery[], embeddings: EmbeddingsConfig = defaultEmbeddings()) {
  const driver = await startDriver(dir);
  const db = connectDatabase(nodeRuntime, { socketPath: driver.socketPath, poolSize: 2, timeoutMs: 600_000, hello: { client: 'bench', role: 'owner' } });
  const logger = createLogger(nodeRuntime, { level: 'silent' });
  const parser = indexingParser(nodeRuntime);
  const source = new EmbeddingSource(embeddings, { fs: nodeRuntime.fs });
  try {
    const { code } = await openCodeIndex(db);
    const projects = new Map<string, { id: number; root: string }>();
    let files = 0;
    let indexSeconds = 0;
    for (const tree of trees) {
      progress(`semantic through the driver: indexing ${tree.name}`);
      const project = await code.ensureProject(tree.root, projectName(tree.root));
      const started = process.hrtime.bigint();
      const scan = await scanProject({ fs: nodeRuntime.fs, code, parser, logger, excludeDirs: tree.exclude }, project);
      indexSeconds += seconds(started);
      if (scan.state !== 'done') throw new Error(`indexing ${tree.root} ended ${scan.state}: ${scan.error}`);
      files += scan.seen;
      projects.set(tree.name, project);
    }
    await db.checkpoint('truncate');
    const bytesBefore = await databaseBytes(dir);
    let indexedDefinitions = 0;
    for (const project of projects.values()) indexedDefinitions += (await code.vectors.counts(project.id, null)).symbols;
    let definitions = 0;
    let fitSeconds = 0;
    let embedSeconds = 0;
    for (const [name, project] of projects) {
      progress(`semantic through the driver: vectorizing ${name}`);
      let fitStarted: bigint | null = null;
      let embedStarted = process.hrtime.bigint();
      const result = await vectorizeProject({ fs: nodeRuntime.fs, code, source, logger, batchSize: 256 }, (await code.project(project.id))!, {
        onProgress: (step) => {
          if (step.state === 'fitting') fitStarted = process.hrtime.bigint();
          else if (fitStarted !== null) {
            fitSeconds += seconds(fitStarted);
            fitStarted = null;
            embedStarted = process.hrtime.bigint();
          }
        },
      });
      embedSeconds += seconds(embedStarted);
      definitions += result.done;
    }
    await db.checkpoint('truncate');
    const bytesAfter = await databaseBytes(dir);

    progress(`semantic through the driver: ${queries.length} questions`);
    const ranks: Array<number | null> = [];
    const fullTextRanks: Array<number | null> = [];
    const latenciesUs: number[] = [];
    const notices = new Set<string>();
    const queriesStarted = process.hrtime.bigint();
    for (const query of queries) {
      const project = projects.get(query.tree)!;
      const started = process.hrtime.bigint();
      const answer = await semanticSearch(code, source, query.query, { projectId: project.id, limit: MRR_DEPTH });
      latenciesUs.push(Number(process.hrtime.bigint() - started) / 1000);
      if (answer.vectors.notice) notices.add(answer.vectors.notice);
      const keys = answer.symbols.map((hit) => `${hit.path}:${hit.qualified_name}`);
      ranks.push(firstHit(keys, new Set(query.expect)));
    }
    // The same questions with the vectors' weight at 0: what they add is the hybrid's figures minus these.
    for (const query of queries) {
      const answer = await semanticSearch(code, source, query.query, { projectId: projects.get(query.tree)!.id, limit: MRR_DEPTH, vectorWeight: 0 });
      fullTextRanks.push(firstHit(answer.symbols.map((hit) => `${hit.path}:${hit.qualified_name}`), new Set(query.expect)));
    }
    const latency = summarize(latenciesUs, process.hrtime.bigint() - queriesStarted);
    // What the vectors' weight does through the driver (the default was chosen in memory, against a weaker full-text list).
    const byWeight: Record<string, ReturnType<typeof figures>> = {};
    for (const weight of [0.1, 0.2, 0.5]) {
      const weighted: Array<number | null> = [];
      for (const query of queries) {
        const answer = await semanticSearch(code, source, query.query, { projectId: projects.get(query.tree)!.id, limit: MRR_DEPTH, vectorWeight: weight });
        weighted.push(firstHit(answer.symbols.map((hit) => `${hit.path}:${hit.qualified_name}`), new Set(query.expect)));
      }
      byWeight[String(weight)] = figures(weighted);
    }
    return {
      hybrid: figures(ranks),
      full_text_only: figures(fullTextRanks),
      hybrid_by_vector_weight: byWeight,
      notices: [...notices],
      speed: {
        index: {
          files,
          definitions: indexedDefinitions,
          seconds: Number(indexSeconds.toFixed(1)),
          files_per_s: Math.round(files / indexSeconds),
          definitions_per_s: Math.round(indexedDefinitions / indexSeconds),
        },
        fit_seconds: Number(fitSeconds.toFixed(1)),
        embed: { definitions, seconds: Number(embedSeconds.toFixed(1)), definitions_per_s: Math.round(definitions / embedSeconds) },
        // Definitions embedded per second ÷ definitions indexed (parsed and stored) per second: above 1, embedding keeps up with indexing.
        embed_to_index_ratio: Number((definitions / embedSeconds / (indexedDefinitions / indexSeconds)).toFixed(2)),
        query_ms: { p50: Number((latency.p50_us / 1000).toFixed(1)), p99: Number((latency.p99_us / 1000).toFixed(1)) },
      },
      storage: { bytes_per_definition: Math.round((bytesAfter - bytesBefore) / Math.max(1, definitions)), database_mb_before: Number((bytesBefore / 2 ** 20).toFixed(1)), database_mb_after: Number((bytesAfter / 2 ** 20).toFixed(1)) },
    };
  } finally {
    await source.close();
    await parser.close();
    db.close();
    await driver.stop();
  }
}
