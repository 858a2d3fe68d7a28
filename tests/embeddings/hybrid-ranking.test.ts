import { expect, it } from 'vitest';
import { hybridRanking, VECTOR_WEIGHT } from '../../src/embeddings/hybrid-ranking.ts';

const scored = (entries: Array<[string, number]>) => entries.map(([id, score]) => ({ id, score }));

it('puts exact names first, in their order, and never twice', () => {
  const ranking = hybridRanking(
    { exactNames: ['exact2', 'exact1'], fullText: scored([['a', 10], ['exact1', 9]]), vectors: scored([['b', 0.9]]) },
    { limit: 10 },
  );
  expect(ranking.slice(0, 2)).toEqual(['exact2', 'exact1']);
  expect(new Set(ranking).size).toBe(ranking.length);
});

it('adds the normalised full-text score and the weighted cosine', () => {
  // a: 0.7·1 + 0.3·0 = 0.7; b: 0.7·0.5 + 0.3·0.9 = 0.62; c: 0.3·0.95 = 0.285.
  const lists = { exactNames: [], fullText: scored([['a', 8], ['b', 4]]), vectors: scored([['c', 0.95], ['b', 0.9]]) };
  expect(VECTOR_WEIGHT).toBe(0.3);
  expect(hybridRanking(lists, { limit: 10 })).toEqual(['a', 'b', 'c']);
  // With the vectors weighing most, the semantic hits come first.
  expect(hybridRanking(lists, { limit: 10, vectorWeight: 0.9 })).toEqual(['b', 'c', 'a']);
  expect(hybridRanking(lists, { limit: 2 })).toEqual(['a', 'b']);
});

it('applies the prior to the fused score', () => {
  const lists = { exactNames: [], fullText: scored([['test_a', 8], ['a', 6]]), vectors: [] };
  expect(hybridRanking(lists, { limit: 10 })).toEqual(['test_a', 'a']);
  expect(hybridRanking(lists, { limit: 10, prior: (id) => (id.startsWith('test_') ? 0.5 : 1) })).toEqual(['a', 'test_a']);
});

it('ranks by vectors alone when full-text finds nothing, and returns nothing for nothing', () => {
  expect(hybridRanking({ exactNames: [], fullText: [], vectors: scored([['x', 0.2], ['y', 0.5]]) }, { limit: 5 })).toEqual(['y', 'x']);
  expect(hybridRanking({ exactNames: [], fullText: [], vectors: [] }, { limit: 5 })).toEqual([]);
});
