import { describe, expect, it } from 'vitest';
import { StatementCache } from '../../../src/driver/sqlite/engine.ts';

/** A cache whose "statements" record which SQL was prepared, and how often. */
function countingCache(capacity?: number) {
  const prepared: string[] = [];
  const cache = new StatementCache((sql: string) => {
    prepared.push(sql);
    return { sql, serial: prepared.length };
  }, capacity);
  return { cache, prepared };
}

describe('StatementCache', () => {
  it('prepares a statement once and then reuses it', () => {
    const { cache, prepared } = countingCache();
    const first = cache.get('SELECT 1');
    expect(cache.get('SELECT 1')).toBe(first);
    expect(prepared).toEqual(['SELECT 1']);
  });

  it('evicts the least recently used statement when full', () => {
    const { cache, prepared } = countingCache(2);
    const a = cache.get('a');
    cache.get('b');
    cache.get('c'); // evicts a
    expect(prepared).toEqual(['a', 'b', 'c']);
    const again = cache.get('a'); // prepared anew, evicts b
    expect(again).not.toBe(a);
    expect(prepared).toEqual(['a', 'b', 'c', 'a']);
    cache.get('c');
    expect(prepared).toHaveLength(4);
    cache.get('b');
    expect(prepared).toEqual(['a', 'b', 'c', 'a', 'b']);
  });

  it('counts a hit as a use, so a recently used statement survives', () => {
    const { cache, prepared } = countingCache(2);
    cache.get('a');
    cache.get('b');
    cache.get('a'); // a is now the most recent
    cache.get('c'); // evicts b, not a
    cache.get('a');
    expect(prepared).toEqual(['a', 'b', 'c']);
    cache.get('b');
    expect(prepared).toEqual(['a', 'b', 'c', 'b']);
  });

  it('holds 256 statements by default', () => {
    const { cache, prepared } = countingCache();
    for (let i = 0; i < 256; i++) cache.get(`s${i}`);
    cache.get('s0');
    expect(prepared).toHaveLength(256);
    cache.get('s256'); // evicts s1, the least recently used
    cache.get('s0');
    expect(prepared).toHaveLength(257);
    cache.get('s1');
    expect(prepared).toHaveLength(258);
  });

  it('prepares everything anew after clear()', () => {
    const { cache, prepared } = countingCache();
    cache.get('a');
    cache.clear();
    cache.get('a');
    expect(prepared).toEqual(['a', 'a']);
  });

  it('caches nothing when preparing fails', () => {
    let calls = 0;
    const cache = new StatementCache((sql: string) => {
      calls++;
      if (sql === 'bad') throw new Error('syntax error');
      return sql;
    }, 1);
    cache.get('good');
    expect(() => cache.get('bad')).toThrow('syntax error');
    expect(cache.get('good')).toBe('good');
    expect(calls).toBe(2);
  });
});
