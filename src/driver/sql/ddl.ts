import { RpcError } from '../../ipc/errors.ts';
import type { ColumnDefinition, IndexDefinition, TableDefinition } from '../table-schema.ts';
import { toDatabase } from '../values.ts';
import type { Dialect } from './dialect.ts';
import { quote } from './identifiers.ts';

/** A timestamp column defaulting to the time of the insert (`"default": "CURRENT_TIMESTAMP"`). */
export function defaultsToNow(column: ColumnDefinition): boolean {
  return column.type === 'timestamp' && typeof column.default === 'string' && column.default.toUpperCase() === 'CURRENT_TIMESTAMP';
}

function defaultClause(column: ColumnDefinition, table: string, dialect: Dialect): string {
  if (column.default === undefined) return '';
  if (column.default === null) return ' DEFAULT NULL';
  if (defaultsToNow(column)) return ` DEFAULT ${dialect.currentTimestamp}`;
  const field = `schema.columns.${column.name}.default`;
  const info = { name: column.name, type: column.type, declaredType: column.type, notNull: false, primaryKey: false, defaultValue: null };
  const value = toDatabase(column.default, info, field, dialect.bind);
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new RpcError('VALIDATION_ERROR', `${field}: unsupported default for ${column.type} column in table "${table}"`, { field });
  }
  return ` DEFAULT ${dialect.literal(value)}`;
}

export function columnSql(column: ColumnDefinition, table: string, dialect: Dialect, inlinePrimaryKey: boolean): string {
  let sql = `${quote(column.name)} ${dialect.columnType(column.type, column.primary_key)}`;
  if (inlinePrimaryKey && column.primary_key) sql += ' PRIMARY KEY';
  // Key columns are never NULL (as in PostgreSQL); SQLite only enforces that for a lone
  // INTEGER key, the rowid alias, which gets its value when none is given.
  const rowidAlias = inlinePrimaryKey && column.primary_key && column.type === 'integer';
  if ((column.not_null || column.primary_key) && !rowidAlias) sql += ' NOT NULL';
  if (column.unique && !column.primary_key) sql += ' UNIQUE';
  sql += defaultClause(column, table, dialect);
  if (column.references) {
    const ref = column.references;
    sql += ` REFERENCES ${quote(ref.table)} (${quote(ref.column)})`;
    if (ref.on_delete) sql += ` ON DELETE ${ref.on_delete.toUpperCase()}`;
    if (ref.on_update) sql += ` ON UPDATE ${ref.on_update.toUpperCase()}`;
  }
  return sql;
}

export function createTableSql(table: TableDefinition, dialect: Dialect, options: { ifNotExists?: boolean; name?: string } = {}): string {
  const keys = table.columns.filter((column) => column.primary_key);
  const inline = keys.length === 1;
  const parts = table.columns.map((column) => columnSql(column, table.name, dialect, inline));
  if (keys.length > 1) parts.push(`PRIMARY KEY (${keys.map((c) => quote(c.name)).join(', ')})`);
  const exists = options.ifNotExists ? 'IF NOT EXISTS ' : '';
  return `CREATE TABLE ${exists}${quote(options.name ?? table.name)} (${parts.join(', ')})`;
}

export function createIndexSql(table: string, index: IndexDefinition, options: { ifNotExists?: boolean } = {}): string {
  const unique = index.unique ? 'UNIQUE ' : '';
  const exists = options.ifNotExists ? 'IF NOT EXISTS ' : '';
  const columns = index.columns.map(quote).join(', ');
  return `CREATE ${unique}INDEX ${exists}${quote(index.name)} ON ${quote(table)} (${columns})`;
}
