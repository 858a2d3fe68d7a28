import { columnSql, defaultsToNow } from '../sql/ddl.ts';
import type { ColumnDefinition, IndexDefinition, TableDefinition } from '../table-schema.ts';
import { defaultText, foreignKeyShape, indexShape, type LiveTable } from './live-table.ts';
import { sqliteDialect } from './sqlite-dialect.ts';

/** What it takes to turn a live table into its definition. */
export interface TableDiff {
  /** Columns the live table lacks, in definition order. */
  added: ColumnDefinition[];
  /** ALTER TABLE cannot do it: the table must be rebuilt. */
  rebuild: boolean;
  /** Live CREATE INDEX indexes no longer defined, or defined differently. */
  droppedIndexes: string[];
  /** Defined indexes missing from the table, or defined differently. */
  createdIndexes: IndexDefinition[];
}

/** The single INTEGER key is SQLite's rowid alias (see `columnSql`). */
export function hasRowidAlias(table: TableDefinition): boolean {
  const keys = table.columns.filter((column) => column.primary_key);
  return keys.length === 1 && keys[0]!.type === 'integer';
}

/** NOT NULL as SQLite will hold it: key columns never hold NULL (see `columnSql`). */
export function definedNotNull(column: ColumnDefinition): boolean {
  return column.not_null || column.primary_key;
}

/** The default's SQL text as `columnSql` writes it, normalised like the live one. */
function definedDefault(column: ColumnDefinition, table: string): string | null {
  if (column.default === undefined) return null;
  const bare = { ...column, primary_key: false, not_null: false, unique: false, references: undefined };
  const sql = columnSql(bare, table, sqliteDialect, false);
  return defaultText(sql.slice(sql.indexOf(' DEFAULT ') + ' DEFAULT '.length));
}

function definedForeignKey(column: ColumnDefinition): string | undefined {
  const ref = column.references;
  if (!ref) return undefined;
  return foreignKeyShape(ref.table, ref.column, ref.on_delete ?? 'no action', ref.on_update ?? 'no action');
}

/** Columns `ALTER TABLE … ADD COLUMN` can add (SQLite's documented restrictions). */
function addable(column: ColumnDefinition): boolean {
  const hasDefault = column.default !== undefined && column.default !== null;
  if (column.primary_key || column.unique || defaultsToNow(column)) return false;
  if (column.not_null && !hasDefault) return false;
  // With foreign keys enforced, a REFERENCES column must default to NULL.
  return !(column.references && hasDefault);
}

/** Each difference ALTER TABLE cannot make, in words (so a test or a reader can tell which). */
export function rebuildReasons(table: TableDefinition, live: LiveTable): string[] {
  const reasons: string[] = [];
  const keys = table.columns.filter((column) => column.primary_key);
  for (const column of table.columns) {
    const current = live.columns.get(column.name.toLowerCase());
    const where = `${table.name}.${column.name}`;
    if (!current) {
      if (!addable(column)) reasons.push(`${where}: new column ALTER TABLE cannot add`);
      continue;
    }
    if (current.type !== column.type) reasons.push(`${where}: type ${current.type ?? 'untyped'} -> ${column.type}`);
    if (current.notNull !== definedNotNull(column)) reasons.push(`${where}: ${current.notNull ? 'NOT NULL removed' : 'NOT NULL added'}`);
    if (current.primaryKey !== keys.indexOf(column) + 1) reasons.push(`${where}: primary key changed`);
    if (current.default !== definedDefault(column, table.name)) reasons.push(`${where}: default changed`);
    if (live.foreignKeys.get(column.name.toLowerCase()) !== definedForeignKey(column)) reasons.push(`${where}: foreign key changed`);
  }
  const defined = new Set(table.columns.map((column) => column.name.toLowerCase()));
  for (const [key, column] of live.columns) if (!defined.has(key)) reasons.push(`${table.name}.${column.name}: column dropped`);
  for (const columns of live.foreignKeys.keys()) {
    if (columns.includes(',')) reasons.push(`${table.name}: foreign key over (${columns}) is not in the definition`);
  }
  const uniques = table.columns
    .filter((column) => column.unique && !column.primary_key)
    .map((column) => column.name.toLowerCase())
    .sort();
  if (uniques.join(';') !== live.uniques.join(';')) reasons.push(`${table.name}: UNIQUE constraints changed`);
  if (live.withoutRowid) reasons.push(`${table.name}: WITHOUT ROWID table`);
  return reasons;
}

/** Compare one defined table with its live counterpart. */
export function diffTable(table: TableDefinition, live: LiveTable): TableDiff {
  const rebuild = rebuildReasons(table, live).length > 0;
  const added = table.columns.filter((column) => !live.columns.has(column.name.toLowerCase()));
  const droppedIndexes: string[] = [];
  const createdIndexes: IndexDefinition[] = [];
  const defined = new Map(table.indexes.map((index) => [index.name, index]));
  for (const index of live.indexes.values()) {
    const wanted = defined.get(index.name);
    if (!wanted || indexShape(wanted.unique, wanted.columns, false) !== index.shape) droppedIndexes.push(index.name);
  }
  for (const index of table.indexes) {
    const current = live.indexes.get(index.name);
    if (!current || droppedIndexes.includes(index.name)) createdIndexes.push(index);
  }
  return { added, rebuild, droppedIndexes, createdIndexes };
}
