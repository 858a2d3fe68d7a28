import * as v from 'valibot';
import type { TableDefinitionInput } from '../../../src/db/database-client.ts';
import { createTableSql } from '../../../src/driver/sql/ddl.ts';
import { sqliteDialect } from '../../../src/driver/sqlite/sqlite-dialect.ts';
import { TableDefinitionSchema } from '../../../src/driver/table-schema.ts';

/** The one table every row of the bench reads and writes. */
export const TABLE = 'items';

export const ITEMS_SCHEMA: TableDefinitionInput = {
  name: TABLE,
  columns: [
    { name: 'id', type: 'integer', primary_key: true },
    { name: 'name', type: 'text', not_null: true },
    { name: 'value', type: 'integer' },
  ],
};

/** The driver's own DDL, so the baseline file holds exactly the table the driver creates. */
export const ITEMS_DDL = createTableSql(v.parse(TableDefinitionSchema, ITEMS_SCHEMA), sqliteDialect);

/** A type alias, not an interface, so it fits the `Record<string, unknown>` row parameter. */
export type Item = { name: string; value: number };

export function makeItem(i: number): Item {
  return { name: `item-${i}`, value: i };
}

export function makeItems(count: number, from = 0): Item[] {
  return Array.from({ length: count }, (_, i) => makeItem(from + i));
}

/** The i-th key a point-select series reads: spread over 1..rows, same order for every target. */
export function pointKey(i: number, rows: number): number {
  return ((i * 7919) % rows) + 1;
}
