import type { InsertManyInput } from '../params.ts';
import type { Row } from '../types.ts';

/**
 * insert_many's rows column by column: runs of consecutive rows with the same columns in the
 * same order. A few long arrays cross to the writer's thread at a fraction of the cost of
 * thousands of small objects (that copy was the largest single cost of a 10,000-row
 * insert_many), and each run binds one prepared statement.
 */
export interface RowRun {
  /** Index in the call's `rows` of the run's first row, to name a refused row. */
  first: number;
  count: number;
  columns: string[];
  /** `values[c][j]`: column `c` of the run's row `j`. */
  values: unknown[][];
}

/** Whether `row`'s keys are `columns`, in that order (for…in: no array per row; rows are plain objects). */
function hasColumns(row: Row, columns: string[]): boolean {
  let c = 0;
  for (const key in row) if (key !== columns[c++]) return false;
  return c === columns.length;
}

/** The run of rows from `first` on that have the columns of row `first`. */
function takeRun(rows: readonly Row[], first: number): RowRun {
  const columns = Object.keys(rows[first]!);
  // Sized for the rest of the call (usually one run), cut to the run's length at its end.
  const values = columns.map(() => new Array<unknown>(rows.length - first));
  let i = first;
  for (; i < rows.length; i++) {
    const row = rows[i]!;
    if (i > first && !hasColumns(row, columns)) break;
    for (let c = 0; c < columns.length; c++) values[c]![i - first] = row[columns[c]!];
  }
  const count = i - first;
  for (const column of values) column.length = count;
  return { first, count, columns, values };
}

export function packRows(rows: readonly Row[]): RowRun[] {
  const runs: RowRun[] = [];
  for (let first = 0; first < rows.length; first += runs.at(-1)!.count) runs.push(takeRun(rows, first));
  return runs;
}

/** An insert_many with its rows packed. */
export type PackedInsertMany = Omit<InsertManyInput, 'rows'> & { runs: RowRun[] };

export function packInsertMany({ rows, ...rest }: InsertManyInput): PackedInsertMany {
  return { ...rest, runs: packRows(rows) };
}

/** The runs of an insert_many, packed already (sent by the driver) or not (a batch's operation). */
export function runsOf(input: InsertManyInput | PackedInsertMany): RowRun[] {
  return 'runs' in input ? input.runs : packRows(input.rows);
}
