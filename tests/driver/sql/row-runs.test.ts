import { describe, expect, it } from 'vitest';
import { packInsertMany, packRows, runsOf } from '../../../src/driver/sql/row-runs.ts';

describe('packRows', () => {
  it('holds rows of the same columns in one run, column by column', () => {
    expect(packRows([{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { a: 3, b: null }])).toEqual([
      { first: 0, count: 3, columns: ['a', 'b'], values: [[1, 2, 3], ['x', 'y', null]] },
    ]);
  });

  it('starts a new run where the columns or their order change, keeping the rows in order', () => {
    const runs = packRows([{ a: 1 }, { a: 2 }, { a: 3, b: 4 }, { b: 5, a: 6 }, {}, {}, { a: 7 }]);
    expect(runs).toEqual([
      { first: 0, count: 2, columns: ['a'], values: [[1, 2]] },
      { first: 2, count: 1, columns: ['a', 'b'], values: [[3], [4]] },
      { first: 3, count: 1, columns: ['b', 'a'], values: [[5], [6]] },
      { first: 4, count: 2, columns: [], values: [] },
      { first: 6, count: 1, columns: ['a'], values: [[7]] },
    ]);
    // The arrays are cut to their runs: nothing of the call's length is left in them.
    for (const run of runs) for (const column of run.values) expect(column).toHaveLength(run.count);
  });

  it('keeps a row that has fewer keys than the run apart (it is not the run with holes)', () => {
    expect(packRows([{ a: 1, b: 2 }, { a: 3 }]).map((run) => run.columns)).toEqual([['a', 'b'], ['a']]);
  });
});

describe('packInsertMany and runsOf', () => {
  it('packs the rows of a call and keeps its other params', () => {
    const packed = packInsertMany({ table_name: 't', rows: [{ a: 1 }], transaction_id: 'tx-1' });
    expect(packed).toEqual({ table_name: 't', transaction_id: 'tx-1', runs: [{ first: 0, count: 1, columns: ['a'], values: [[1]] }] });
    expect(runsOf(packed)).toBe(packed.runs);
    expect(runsOf({ table_name: 't', rows: [{ a: 1 }] })).toEqual(packed.runs);
  });
});
