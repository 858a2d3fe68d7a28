import { expect, it } from 'vitest';
import { termBag, termsOf } from '../../../src/embeddings/builtin/term-bag.ts';

const options = { stem: true, fieldWeights: [3, 1, 1, 1, 0.5] };

it('drops stop words, code keywords and single characters, and stems the rest', () => {
  expect(termsOf('the', true)).toEqual([]);
  expect(termsOf('self', true)).toEqual([]);
  expect(termsOf('x', true)).toEqual([]);
  expect(termsOf('connections', true)).toEqual(['connect']);
  expect(termsOf('connections', false)).toEqual(['connections']);
});

it('weights each word by the field of the line it is on; the body takes every line from the fifth', () => {
  const text = ['ConnectionPool in pool.py', 'def get_connection(self)', 'Return a connection.', 'release', 'pool.put(c)', 'pool.get()'].join('\n');
  const bag = termBag(text, options);
  // title: connect ×3, pool ×3 twice (name and file); signature: get, connect; docstring: connect; members: releas; body: pool ×½ twice, put, get.
  expect(Object.fromEntries(bag)).toEqual({ connect: 3 + 1 + 1, pool: 3 + 3 + 0.5 + 0.5, get: 1 + 0.5, releas: 1, put: 0.5 });
});

it('skips a field of weight 0 and treats a question as one title line', () => {
  expect(Object.fromEntries(termBag('a\nb\nc\nd\nbody words', { stem: false, fieldWeights: [1, 1, 1, 1, 0] }))).toEqual({});
  expect(Object.fromEntries(termBag('pool which limits connections', options))).toEqual({ pool: 3, limit: 3, connect: 3 });
});

it('memoises through the cache it is given', () => {
  const cache = new Map<string, readonly string[]>();
  termBag('connections pool', options, cache);
  expect(cache.get('connections')).toEqual(['connect']);
  cache.set('pool', ['memo']);
  expect([...termBag('pool', options, cache).keys()]).toEqual(['memo']);
});
