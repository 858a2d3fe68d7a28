import { builtinProvider } from '../../../src/embeddings/builtin/builtin-provider.ts';
import { type CorpusFile, fitBuiltinModel, fittingDocuments } from '../../../src/embeddings/builtin/builtin-model.ts';
import type { LsiParameters } from '../../../src/embeddings/builtin/lsi-model.ts';
import { rankingPrior } from '../../../src/embeddings/code-conventions.ts';
import { hybridRanking, type Scored } from '../../../src/embeddings/hybrid-ranking.ts';
import { Bm25Index } from './bm25.ts';
import type { Corpus, CorpusSymbol } from './corpus.ts';
import { figures, firstHit, MRR_DEPTH, type RankingFigures } from './metrics.ts';
import { NameSearch } from './name-search.ts';
import type { LabelledQuery } from './query-set.ts';
import { VectorScan } from './vector-scan.ts';

/** The four methods the issue asks for, then two that show what the hybrid's parts are worth. */
export const METHODS = ['name', 'full_text', 'vectors', 'hybrid', 'full_text_with_priors', 'hybrid_rrf'] as const;
export type Method = (typeof METHODS)[number];

/** One way of fitting the builtin model: the defaults, or one choice changed (the ablation). */
export interface ModelVariant {
  /** What the model learns from: library files (the default), every file, or each symbol alone. */
  fit?: 'library-files' | 'all-files' | 'symbols';
  model?: Partial<LsiParameters>;
}

/** Candidates each list contributes to the fusion. */
const CANDIDATES = 200;
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const globalKey = (symbol: { tree: string; key: string }) => `${symbol.tree}/${symbol.key}`;

/** Every expected definition must be in the corpus: a query about a missing one is a broken query set. */
export function checkExpectations(corpus: Corpus, queries: readonly LabelledQuery[]): void {
  const keys = new Set(corpus.symbols.map(globalKey));
  const missing = queries.flatMap((query) => query.expect.map((key) => `${query.tree}/${key}`).filter((key) => !keys.has(key)));
  if (missing.length) throw new Error(`expected definitions not in the corpus: ${missing.join(', ')}`);
}

function documentsFor(files: readonly CorpusFile[], fit: ModelVariant['fit']): string[][] {
  if (fit === 'symbols') return fittingDocuments(files).flatMap((texts) => texts.map((text) => [text]));
  if (fit === 'all-files') return files.map((file) => [...file.texts]);
  return fittingDocuments(files);
}

/** The exact-name list of the hybrid ranking: names (or qualified names) equal to the question, case aside. */
function exactNameIndex(symbols: readonly CorpusSymbol[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  symbols.forEach((symbol, doc) => {
    for (const name of new Set([symbol.name.toLowerCase(), symbol.qualified_name.toLowerCase()])) {
      const list = index.get(name);
      if (list) list.push(doc);
      else index.set(name, [doc]);
    }
  });
  return index;
}

/**
 * The full-text fields, as phase 2 would index them: title (name, qualified name and the
 * file's path: the module is part of a definition's full name), signature, docstring,
 * and the rest of the symbol text (member names, first body lines), weighted 3, 1, 1, ½.
 */
export function fullTextIndex(symbols: readonly CorpusSymbol[]): Bm25Index {
  return new Bm25Index(
    symbols.map((symbol) => [
      `${symbol.name} ${symbol.qualified_name} ${symbol.path}`,
      symbol.signature ?? '',
      symbol.docstring ?? '',
      symbol.text.split('\n').slice(3).join(' '),
    ]),
    { fieldWeights: [3, 1, 1, 0.5], k1: 1.2, b: 0.75 },
  );
}

/** Fit the builtin model on the corpus (timed), embed every symbol (timed), build the in-process indexes. */
/** The indexes that do not depend on the model, shared by the ablation's variants. */
export interface TextIndexes {
  names: NameSearch;
  fullText: Bm25Index;
  exactNames: Map<string, number[]>;
}

export async function prepare(corpus: Corpus, variant: ModelVariant = {}, indexes?: TextIndexes) {
  const { symbols } = corpus;
  let started = process.hrtime.bigint();
  const documents = documentsFor(corpus.files, variant.fit);
  const model = await fitBuiltinModel(documents, variant.model);
  const fitSeconds = seconds(started);
  const provider = builtinProvider(model);
  started = process.hrtime.bigint();
  const vectors: Float32Array[] = [];
  for (let at = 0; at < symbols.length; at += 256) vectors.push(...(await provider.embed(symbols.slice(at, at + 256).map((symbol) => symbol.text))));
  const embedSeconds = seconds(started);
  return {
    symbols,
    model,
    provider,
    vectors,
    fittingDocuments: documents.length,
    fitSeconds,
    embedSeconds,
    scan: new VectorScan(vectors, model.lsi.dimension),
    names: indexes?.names ?? new NameSearch(symbols),
    fullText: indexes?.fullText ?? fullTextIndex(symbols),
    exactNames: indexes?.exactNames ?? exactNameIndex(symbols),
    keys: symbols.map(globalKey),
  };
}

export type Prepared = Awaited<ReturnType<typeof prepare>>;

/** RRF (k = 60) of the same two lists with the same priors: the comparison that chose the weighted sum. */
function reciprocalRankFusion(fullText: number[], vectors: number[], prior: (doc: number) => number): number[] {
  const scores = new Map<number, number>();
  for (const list of [fullText, vectors]) list.forEach((doc, rank) => scores.set(doc, (scores.get(doc) ?? 0) + 1 / (61 + rank)));
  return [...scores].map(([doc, score]) => [doc, score * prior(doc)] as const).sort((a, b) => b[1] - a[1]).map(([doc]) => doc);
}

/** Rank every labelled query by each method: the figures, each query's ranks, and the hybrid's latency. */
export async function rankQueries(prepared: Prepared, queries: readonly LabelledQuery[]) {
  const { symbols, keys } = prepared;
  const prior = (doc: number) => rankingPrior(symbols[doc]!);
  const ranks = Object.fromEntries(METHODS.map((method) => [method, [] as Array<number | null>])) as Record<Method, Array<number | null>>;
  const latenciesMs: number[] = [];
  const perQuery: Array<Record<string, unknown>> = [];
  for (const query of queries) {
    const expected = new Set(query.expect.map((key) => `${query.tree}/${key}`));
    const started = process.hrtime.bigint();
    const [queryVector] = await prepared.provider.embed([query.query]);
    const fullText: Array<Scored<number>> = prepared.fullText.search(query.query, CANDIDATES);
    const vectors: Array<Scored<number>> = prepared.scan.nearest(queryVector!, CANDIDATES);
    const exactNames = prepared.exactNames.get(query.query.trim().toLowerCase()) ?? [];
    const hybrid = hybridRanking({ exactNames, fullText, vectors }, { limit: MRR_DEPTH, prior });
    latenciesMs.push(seconds(started) * 1000);
    const lists: Record<Method, number[]> = {
      name: prepared.names.search(query.query, MRR_DEPTH),
      full_text: fullText.map(({ id }) => id),
      vectors: vectors.map(({ id }) => id),
      hybrid,
      full_text_with_priors: hybridRanking({ exactNames, fullText, vectors }, { limit: MRR_DEPTH, prior, vectorWeight: 0 }),
      hybrid_rrf: reciprocalRankFusion(fullText.map(({ id }) => id), vectors.map(({ id }) => id), prior),
    };
    const row: Record<string, unknown> = { query: query.query };
    for (const method of METHODS) {
      const rank = firstHit(lists[method].slice(0, MRR_DEPTH).map((doc) => keys[doc]!), expected);
      ranks[method].push(rank);
      row[method] = rank;
    }
    row.hybrid_top = keys[hybrid[0]!] ?? null;
    perQuery.push(row);
  }
  const results = Object.fromEntries(METHODS.map((method) => [method, figures(ranks[method])])) as Record<Method, RankingFigures>;
  return { results, perQuery, latenciesMs };
}
