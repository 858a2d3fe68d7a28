import type { EmbeddingProvider } from '../types.ts';
import type { BuiltinModel } from './builtin-model.ts';
import { projectBag, termIndex } from './lsi-model.ts';
import { termBag } from './term-bag.ts';

/** How much of what was embedded the model knew: the share of word weight in its vocabulary. */
export interface VocabularyCoverage {
  texts: number;
  knownShare: number;
}

export interface BuiltinProvider extends EmbeddingProvider {
  readonly kind: 'builtin';
  /** Since this provider was made; the refit rule reads it (refit-policy.ts). */
  coverage(): VocabularyCoverage;
}

// Word → terms memo; bounded so a long-lived worker does not grow without end.
const STEM_CACHE_LIMIT = 200_000;

/**
 * Embeds any text (a symbol's or a question) with a fitted model. Folding a text in never
 * changes the model: words it does not know are ignored (and counted by coverage()).
 */
export function builtinProvider(model: BuiltinModel): BuiltinProvider {
  const { lsi } = model;
  const index = termIndex(lsi);
  let cache = new Map<string, readonly string[]>();
  let texts = 0;
  let known = 0;
  let total = 0;
  return {
    kind: 'builtin',
    modelId: model.id,
    dimension: lsi.dimension,
    async embed(batch) {
      if (cache.size > STEM_CACHE_LIMIT) cache = new Map();
      return batch.map((text) => {
        const projected = projectBag(lsi, index, termBag(text, lsi.parameters, cache));
        texts++;
        known += projected.known;
        total += projected.total;
        return projected.vector;
      });
    },
    coverage: () => ({ texts, knownShare: total === 0 ? 1 : known / total }),
    async close() {},
  };
}
