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

export function packRows(rows: readonly Row[]): RowRun[] {
  const runs: RowRun[] = [];
  let run: RowRun | undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!run || !hasColumns(row, run.columns)) {
      if (run) for (const column of run.values) column.length = run.count;
      const columns = Object.keys(row);
      // Sized for the rest of the call (usually one run), cut to the run's length when it ends.
      run = { first: i, count: 0, columns, values: columns.map(() => new Array(rows.length - i)) };
      runs.push(run);
    }
    const { columns, values } = run;
    for (let c = 0; c < columns.length; c++) values[c]![run.count] = row[columns[c]!];
    run.count++;
  }
  if (run) for (const column of run.values) column.length = run.count;
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
