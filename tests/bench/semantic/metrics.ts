/** Retrieval figures of one ranking method over the labelled queries. */
export interface RankingFigures {
  recall_at_10: number;
  mrr: number;
  /** Queries whose expected definition is not in the top 10. */
  missed: number;
}

/** Ranks considered for the MRR: a definition found below this counts as not found. */
export const MRR_DEPTH = 100;

/** 1-based rank of the first expected definition in the ranking, or null. */
export function firstHit(ranking: readonly string[], expected: ReadonlySet<string>): number | null {
  const index = ranking.findIndex((key) => expected.has(key));
  return index < 0 ? null : index + 1;
}

export function figures(ranks: ReadonlyArray<number | null>): RankingFigures {
  const found = ranks.filter((rank): rank is number => rank !== null && rank <= 10).length;
  const reciprocal = ranks.reduce<number>((sum, rank) => sum + (rank !== null && rank <= MRR_DEPTH ? 1 / rank : 0), 0);
  return {
    recall_at_10: Number((found / ranks.length).toFixed(3)),
    mrr: Number((reciprocal / ranks.length).toFixed(3)),
    missed: ranks.length - found,
  };
}
