import { RpcError } from '../ipc/errors.ts';
import type { ColumnDescription } from './types.ts';
import type { ColumnInfo } from './values.ts';

/** A table as the SQL builder needs to know it. */
export interface TableInfo {
  name: string;
  columns: ReadonlyMap<string, ColumnInfo>;
}

/** Live tables of the database, so unknown names are refused with a clear error. */
export interface TableCatalog {
  table(name: string): TableInfo | undefined;
}

/** The table, or NOT_FOUND naming the params field that named it. */
export function requireTable(catalog: TableCatalog, name: string, field = 'table_name'): TableInfo {
  const table = catalog.table(name);
  if (!table) throw new RpcError('NOT_FOUND', `table "${name}" does not exist`, { table: name, field });
  return table;
}

export function requireColumn(table: TableInfo, name: string, field: string): ColumnInfo {
  const column = table.columns.get(name);
  if (!column) {
    throw new RpcError('VALIDATION_ERROR', `${field}: table "${table.name}" has no column "${name}"`, {
      field,
      table: table.name,
      column: name,
    });
  }
  return column;
}

/** get_table_info's answer for a table, the same on every engine. */
export function describeColumns(table: TableInfo): ColumnDescription[] {
  return [...table.columns.values()].map((column) => ({
    name: column.name,
    type: column.type ?? column.declaredType.toLowerCase(),
    nullable: !column.notNull,
    default: column.defaultValue,
    primary_key: column.primaryKey,
  }));
}
