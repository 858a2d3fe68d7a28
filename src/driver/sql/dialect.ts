import type { PortableType } from '../table-schema.ts';
import type { BindStyle } from '../values.ts';

/** What differs between SQL dialects for the statements we build. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Placeholder of the n-th bound value (1-based). */
  placeholder(index: number): string;
  readonly bind: BindStyle;
  /** Column type to declare for a portable type. */
  columnType(type: PortableType, primaryKey: boolean): string;
  /** SQL literal for a column default (already type-checked). */
  literal(value: string | number | boolean | null): string;
  /** Default expression of a timestamp column set to the time of the insert, in the wire encoding. */
  readonly currentTimestamp: string;
  /** An ORDER BY term: NULLs sort first ascending and last descending (SQLite's order) on every dialect. */
  orderTerm(quotedColumn: string, direction: 'ASC' | 'DESC'): string;
  /** An OFFSET needs a LIMIT before it (SQLite: `LIMIT -1` for none). */
  readonly offsetNeedsLimit: boolean;
}

/** Collects bound values and hands out their placeholders. */
export class Bindings {
  readonly values: unknown[] = [];

  constructor(private readonly dialect: Dialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  }
}

export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
