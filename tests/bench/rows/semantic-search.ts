import { join } from 'node:path';
import { labelledTrees, loadCorpus } from '../semantic/corpus.ts';
import { checkExpectations, type ModelVariant, prepare, rankQueries } from '../semantic/evaluate.ts';
import { loadQuerySet } from '../semantic/query-set.ts';
import { throughDriver } from '../semantic/through-driver.ts';
import { sqliteVecFigures } from '../semantic/vector-storage.ts';
import { summarize } from '../lib/summary.ts';
import { progress } from '../lib/progress.ts';

/** One choice of the builtin model changed at a time, to show what each default is worth. */
export const ABLATION: Record<string, ModelVariant> = {
  'fit on every file, tests included': { fit: 'all-files' },
  'fit on each symbol alone': { fit: 'symbols' },
  'no stemming': { model: { stem: false } },
  'all fields weigh the same': { model: { fieldWeights: [1, 1, 1, 1, 1] } },
  'body lines in the model': { model: { fieldWeights: [3, 1, 1, 1, 0.5] } },
  'no Σ scaling (exponent 0)': { model: { sigmaExponent: 0 } },
  '128 dimensions': { model: { dimensions: 128 } },
  '256 dimensions': { model: { dimensions: 256 } },
  '384 dimensions': { model: { dimensions: 384 } },
  'no power iteration': { model: { powerIterations: 0 } },
};

const rate = (count: number, seconds: number) => Math.round(count / seconds);

/**
 * Semantic search on the labelled queries (test_data/semantic/queries.json) with the
 * builtin provider: recall@10 and MRR per method, fit and embedding speed against parsing
 * speed, what a stored vector costs; with `ablation`, the same figures per changed choice.
 */
export async function semanticSearch(dir: string, options: { ablation?: boolean } = {}) {
  const queries = loadQuerySet();
  progress(`semantic: parsing the labelled trees for ${queries.length} queries`);
  const corpus = await loadCorpus(labelledTrees());
  checkExpectations(corpus, queries);
  progress(`semantic: fitting the builtin model on ${corpus.files.length} files, embedding ${corpus.symbols.length} symbols`);
  const prepared = await prepare(corpus);
  const ranked = await rankQueries(prepared, queries);
  const queryVectors = await prepared.provider.embed(queries.map((query) => query.query));
  progress('semantic: storing the vectors with sqlite-vec');
  const storage = sqliteVecFigures(dir, prepared.vectors, queryVectors, prepared.model.lsi.dimension);
  const parsePerSecond = corpus.symbols.length / corpus.parseSeconds;
  const embedPerSecond = corpus.symbols.length / prepared.embedSeconds;
  const latency = summarize(ranked.latenciesMs.map((ms) => ms * 1000), ranked.latenciesMs.reduce((sum, ms) => sum + ms, 0) * 1e6);

  progress('semantic: the same questions through the driver');
  const through_driver = await throughDriver(join(dir, 'driver'), labelledTrees(), queries);

  const ablation: Record<string, unknown> = {};
  if (options.ablation) {
    for (const [name, variant] of Object.entries(ABLATION)) {
      progress(`semantic: ablation: ${name}`);
      const changed = await prepare(corpus, variant, prepared);
      const { results } = await rankQueries(changed, queries);
      ablation[name] = { dimension: changed.model.lsi.dimension, vectors: results.vectors, hybrid: results.hybrid, fit_s: Number(changed.fitSeconds.toFixed(1)) };
    }
  }
  return {
    corpus: {
      trees: labelledTrees().map((tree) => tree.name),
      files: corpus.sourceFiles,
      source_mb: Number((corpus.bytes / 2 ** 20).toFixed(1)),
      symbols: corpus.symbols.length,
      queries: queries.length,
    },
    results: ranked.results,
    through_driver,
    model: {
      id: prepared.model.id,
      dimension: prepared.model.lsi.dimension,
      terms: prepared.model.lsi.terms.length,
      fitted_on_files: prepared.fittingDocuments,
      bytes: prepared.model.bytes.length,
    },
    speed: {
      parse: { seconds: Number(corpus.parseSeconds.toFixed(2)), symbols_per_s: Math.round(parsePerSecond), files_per_s: rate(corpus.sourceFiles, corpus.parseSeconds) },
      fit_seconds: Number(prepared.fitSeconds.toFixed(2)),
      embed: { seconds: Number(prepared.embedSeconds.toFixed(2)), symbols_per_s: Math.round(embedPerSecond) },
      embed_to_parse_ratio: Number((embedPerSecond / parsePerSecond).toFixed(1)),
      hybrid_query_in_process_ms: { p50: Number((latency.p50_us / 1000).toFixed(2)), p99: Number((latency.p99_us / 1000).toFixed(2)) },
    },
    storage: { raw_vector_bytes: prepared.model.lsi.dimension * 4, sqlite_vec: storage },
    ...(options.ablation ? { ablation } : {}),
    per_query: ranked.perQuery,
  };
}
