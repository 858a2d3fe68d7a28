/**
 * Hybrid ranking (issue 11): a full-text list (BM25) and a vector list fused into one, so
 * that exact names still win and words still find meaning. Not reciprocal rank fusion:
 * on the labelled queries (tests/bench/semantic.bench.ts) a weighted sum of the two scores
 * did better, because it keeps how strongly each list believes its hits, where RRF keeps
 * only their order and lets a weak vector list push good full-text hits down.
 */

/** A candidate and its score in one list: higher is better. */
export interface Scored<K> {
  id: K;
  score: number;
}

export interface HybridLists<K> {
  /** Definitions whose name or qualified name is the question as typed (case aside): they lead, in this order. */
  exactNames: readonly K[];
  /** BM25 scores, higher better (FTS5's bm25() is negated by the caller). */
  fullText: ReadonlyArray<Scored<K>>;
  /** Cosine similarities of unit vectors. */
  vectors: ReadonlyArray<Scored<K>>;
}

export interface HybridOptions<K> {
  limit: number;
  /** Weight of the vector score against the full-text score (0 full-text only, 1 vectors only). */
  vectorWeight?: number;
  /** A multiplier of a candidate's fused score, 1 by default: see rankingPrior (code-conventions.ts). */
  prior?: (id: K) => number;
}

/** The weight the labelled evaluation chose: 0.2 to 0.4 do about as well. */
export const VECTOR_WEIGHT = 0.3;

/**
 * The weight when the full-text list is the vectorizer's terms (every field, sub-words and
 * stems) and the vectors are the builtin model's: they are learned from those same words, so
 * they add little the list does not know. Through the database (`npm run bench:semantic --
 * --driver-only`) 0.1 kept the terms' recall@10 (0.871) where 0.3 lost two questions (0.839).
 */
export const BUILTIN_OVER_TERMS_WEIGHT = 0.1;

/**
 * The hybrid ranking: exact names first, then every other candidate by
 * prior × ((1 − w)·bm25/max bm25 + w·cosine), best first, at most `limit`.
 */
export function hybridRanking<K>(lists: HybridLists<K>, options: HybridOptions<K>): K[] {
  return hybridScores(lists, options).map(({ id }) => id);
}

/** The hybrid ranking with each candidate's fused score (an exact name that is in neither list scores 0). */
export function hybridScores<K>(lists: HybridLists<K>, options: HybridOptions<K>): Array<Scored<K>> {
  const weight = options.vectorWeight ?? VECTOR_WEIGHT;
  const best = lists.fullText.reduce((max, { score }) => Math.max(max, score), 0);
  const fused = new Map<K, number>();
  if (best > 0) for (const { id, score } of lists.fullText) fused.set(id, ((1 - weight) * score) / best);
  for (const { id, score } of lists.vectors) fused.set(id, (fused.get(id) ?? 0) + weight * score);
  const scored = new Map<K, number>();
  for (const id of lists.exactNames) scored.set(id, (fused.get(id) ?? 0) * (options.prior?.(id) ?? 1));
  const ranked = [...fused]
    .filter(([id]) => !scored.has(id))
    .map(([id, score]) => [id, score * (options.prior?.(id) ?? 1)] as const)
    .sort((a, b) => b[1] - a[1]);
  for (const [id, score] of ranked) scored.set(id, score);
  return [...scored].slice(0, options.limit).map(([id, score]) => ({ id, score }));
}
