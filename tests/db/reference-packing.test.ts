import { describe, expect, it } from 'vitest';
import type { ParsedReference, ReferenceKind } from '../../src/db/code-types.ts';
import { blobBytes, packReferences, packedNames, unpackReferences } from '../../src/db/reference-packing.ts';
import { RpcError } from '../../src/ipc/errors.ts';

const KINDS: ReferenceKind[] = ['call', 'attribute', 'import', 'type', 'name'];

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % below;
  };
}

const byPosition = (a: ParsedReference, b: ParsedReference) => a.line - b.line || a.column - b.column || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

describe('packReferences', () => {
  it('gives back exactly what went in, by line then column, for small and very large positions', () => {
    const next = random(7);
    const names = ['self', 'encode', '_default_encoder', 'ñame', '$el', 'x'];
    const references: ParsedReference[] = Array.from({ length: 2000 }, () => ({
      name: names[next(names.length)]!,
      line: 1 + next(5000),
      column: 1 + next(300),
      kind: KINDS[next(KINDS.length)]!,
    }));
    references.push({ name: 'far', line: 2 ** 40, column: 2 ** 30, kind: 'type' });
    const packed = packReferences(references);
    expect(packedNames(packed.names)).toEqual([...new Set(references.map((r) => r.name))].sort());
    expect(unpackReferences(packed)).toEqual([...references].sort(byPosition));
    expect(unpackReferences(packed, 'encode')).toEqual(references.filter((r) => r.name === 'encode').sort(byPosition));
    expect(unpackReferences(packed, 'far')).toEqual([{ name: 'far', line: 2 ** 40, column: 2 ** 30, kind: 'type' }]);
    expect(unpackReferences(packed, 'absent')).toEqual([]);
    // About three bytes a use: what keeps the database small.
    expect(packed.positions.length).toBeLessThan(references.length * 4);
  });

  it('packs no references into an empty row', () => {
    const packed = packReferences([]);
    expect(packed).toEqual({ names: '', positions: new Uint8Array() });
    expect(packedNames(packed.names)).toEqual([]);
    expect(unpackReferences(packed)).toEqual([]);
  });

  it.each([
    [{ name: '', line: 1, column: 1, kind: 'call' }, 'references[0].name'],
    [{ name: 'a\nb', line: 1, column: 1, kind: 'call' }, 'references[0].name'],
    [{ name: 'a', line: 0, column: 1, kind: 'call' }, 'references[0].line'],
    [{ name: 'a', line: 1.5, column: 1, kind: 'call' }, 'references[0].line'],
    [{ name: 'a', line: 1, column: -2, kind: 'call' }, 'references[0].column'],
    [{ name: 'a', line: 1, column: 1, kind: 'definition' }, 'references[0].kind'],
  ])('refuses %j naming %s', (bad, field) => {
    const attempt = () => packReferences([bad as ParsedReference]);
    expect(attempt).toThrow(RpcError);
    try {
      attempt();
    } catch (error) {
      expect((error as RpcError).codeName).toBe('VALIDATION_ERROR');
      expect((error as RpcError).data?.field).toBe(field);
    }
  });

  it('reports damaged positions as an internal error, never as wrong references', () => {
    const packed = packReferences([{ name: 'a', line: 3, column: 4, kind: 'call' }]);
    expect(() => unpackReferences({ names: 'a', positions: packed.positions.slice(0, -1) })).toThrow(/damaged/);
    expect(() => unpackReferences({ names: 'a', positions: new Uint8Array([1, 1, 7]) })).toThrow(/damaged: kind code 7/);
  });
});

describe('blobBytes', () => {
  it('reads the driver\'s blob encoding and refuses anything else', () => {
    expect(blobBytes({ $blob: btoa('\u0001\u00ff') })).toEqual(new Uint8Array([1, 255]));
    expect(() => blobBytes('AQ==')).toThrow(/expected a blob/);
    expect(() => blobBytes(null)).toThrow(/expected a blob/);
  });
});
