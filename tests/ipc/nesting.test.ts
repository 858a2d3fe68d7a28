import { describe, expect, it } from 'vitest';
import { describePath, MAX_NESTING_DEPTH, pathTooDeep } from '../../src/ipc/nesting.ts';

function nested(depth: number, leaf: unknown = 1): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? { k: value } : [value];
  return value;
}

describe('nesting limit', () => {
  it('accepts scalars and values up to the limit, counting the value itself as level 1', () => {
    expect(pathTooDeep(42)).toBeNull();
    expect(pathTooDeep(null)).toBeNull();
    expect(pathTooDeep({ a: [1, { b: 'x' }] })).toBeNull();
    expect(pathTooDeep(nested(MAX_NESTING_DEPTH))).toBeNull();
    expect(pathTooDeep(nested(3), 3)).toBeNull();
  });

  it('names the path to the first value past the limit, however deep the value goes, without recursion', () => {
    expect(pathTooDeep({ ok: [1], doc: { a: [[1]] } }, 3)).toEqual(['doc', 'a', 0]);
    const path = pathTooDeep({ data: { doc: nested(1_000_000) } });
    expect(path).toHaveLength(MAX_NESTING_DEPTH);
    expect(MAX_NESTING_DEPTH).toBe(1000);
    expect(describePath('params', path!)).toBe('params.data.doc.k[0].k[0].k[0]…');
    expect(describePath('params', ['rows', 3, 'x'])).toBe('params.rows[3].x');
  });
});
