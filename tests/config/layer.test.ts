import { describe, expect, it } from 'vitest';
import { atPath, deepMerge, hasPath, sourceOf } from '../../src/config/layer.ts';

describe('config layers', () => {
  it('merges objects key by key and lets arrays, null and scalars replace', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: { e: 1 }, f: 'x' };
    expect(deepMerge(base, { a: { c: [3] }, d: null, f: { g: 1 } })).toEqual({ a: { b: 1, c: [3] }, d: null, f: { g: 1 } });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: { e: 1 }, f: 'x' });
  });

  it('builds and finds paths', () => {
    expect(atPath(['server', 'port'], 1)).toEqual({ server: { port: 1 } });
    expect(hasPath({ a: { b: null } }, ['a', 'b'])).toBe(true);
    expect(hasPath({ a: { b: null } }, ['a', 'b', 'c'])).toBe(false);
    expect(hasPath({ a: [5] }, ['a', 0])).toBe(true);
  });

  it('traces a path to the topmost layer that supplied it, else to the closest enclosing value', () => {
    const layers = [
      { source: 'default', value: { server: { port: 1, host: 'h' } } },
      { source: 'file', value: { server: { port: 2 } } },
      { source: 'ENV', value: { log: { level: 'x' } } },
    ];
    expect(sourceOf(layers, ['server', 'port'])).toBe('file');
    expect(sourceOf(layers, ['server', 'host'])).toBe('default');
    expect(sourceOf(layers, ['log', 'level', 'deeper'])).toBe('ENV');
    expect(sourceOf(layers, ['nowhere'])).toBe('default');
  });
});
