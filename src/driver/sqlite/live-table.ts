import { type PortableType, toPortableType } from '../table-schema.ts';
import type { SqliteEngine } from './engine.ts';

/**
 * A live table as `sync_schema` compares it with its definition, read from SQLite's own
 * pragmas. Column names are keyed in lower case: SQLite matches them case-insensitively.
 */
export interface LiveColumn {
  name: string;
  type: PortableType | null;
  notNull: boolean;
  /** 1-based position in the primary key, 0 when not part of it. */
  primaryKey: number;
  /** The default's SQL text, normalised by `defaultText`. */
  default: string | null;
}

export interface LiveIndex {
  name: string;
  /** Uniqueness, columns and partiality in one comparable string. */
  shape: string;
}

export interface LiveTable {
  name: string;
  columns: Map<string, LiveColumn>;
  /** Foreign key per child column (lower case); several-column keys under their columns joined by ",". */
  foreignKeys: Map<string, string>;
  /** UNIQUE constraints of the table (not indexes), as sorted column lists. */
  uniques: string[];
  /** Indexes made by CREATE INDEX (never SQLite's autoindexes). */
  indexes: Map<string, LiveIndex>;
  /** CREATE TRIGGER statements of triggers on the table; dropped with it, so remade after a rebuild. */
  triggers: string[];
  withoutRowid: boolean;
}

interface PragmaColumn {
  name: string;
  type: string;
  notnull: bigint;
  dflt_value: string | null;
  pk: bigint;
}

interface PragmaForeignKey {
  id: bigint;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
}

/** A default's SQL text compared as SQLite reports it: no outer parentheses, `NULL` as none. */
export function defaultText(sql: string | null): string | null {
  if (sql === null) return null;
  const text = /^\(.*\)$/s.test(sql) ? sql.slice(1, -1) : sql;
  return text.toUpperCase() === 'NULL' ? null : text;
}

export function foreignKeyShape(table: string, column: string | null, onDelete: string, onUpdate: string): string {
  return `${table.toLowerCase()}(${(column ?? '').toLowerCase()}) on delete ${onDelete.toLowerCase()} on update ${onUpdate.toLowerCase()}`;
}

export function indexShape(unique: boolean, columns: string[], partial: boolean): string {
  return `${unique ? 'unique ' : ''}(${columns.map((name) => name.toLowerCase()).join(', ')})${partial ? ' where …' : ''}`;
}

function indexColumns(engine: SqliteEngine, index: string): string[] {
  const rows = engine.all('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [index]) as Array<{ name: string | null }>;
  // An expression has no column name; it never matches a definition's column.
  return rows.map((row) => row.name ?? '<expression>');
}

export function readLiveTable(engine: SqliteEngine, name: string): LiveTable {
  const pragmaColumns = engine.all('SELECT * FROM pragma_table_info(?)', [name]) as unknown as PragmaColumn[];
  const keyColumns = pragmaColumns.filter((row) => row.pk > 0n).length;
  const columns = new Map<string, LiveColumn>();
  for (const row of pragmaColumns) {
    // A lone INTEGER PRIMARY KEY is the rowid alias, never NULL whatever it declares.
    const rowidAlias = row.pk > 0n && keyColumns === 1 && row.type.toUpperCase() === 'INTEGER';
    columns.set(row.name.toLowerCase(), {
      name: row.name,
      type: row.type ? (toPortableType(row.type) ?? null) : null,
      notNull: row.notnull > 0n || rowidAlias,
      primaryKey: Number(row.pk),
      default: defaultText(row.dflt_value),
    });
  }
  const keys = new Map<bigint, PragmaForeignKey[]>();
  for (const row of engine.all('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq', [name]) as unknown as PragmaForeignKey[]) {
    keys.set(row.id, [...(keys.get(row.id) ?? []), row]);
  }
  const foreignKeys = new Map<string, string>();
  for (const parts of keys.values()) {
    const [first] = parts as [PragmaForeignKey];
    const to = parts.length === 1 ? first.to : parts.map((part) => part.to ?? '').join(',');
    foreignKeys.set(parts.map((part) => part.from.toLowerCase()).join(','), foreignKeyShape(first.table, to, first.on_delete, first.on_update));
  }
  const uniques: string[] = [];
  const indexes = new Map<string, LiveIndex>();
  const list = engine.all('SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name', [name]) as Array<{
    name: string;
    unique: bigint;
    origin: string;
    partial: bigint;
  }>;
  for (const index of list) {
    const columnNames = indexColumns(engine, index.name);
    if (index.origin === 'u') uniques.push(columnNames.map((column) => column.toLowerCase()).sort().join(','));
    if (index.origin === 'c') indexes.set(index.name, { name: index.name, shape: indexShape(index.unique > 0n, columnNames, index.partial > 0n) });
  }
  const triggers = engine.all("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ? ORDER BY name", [name]) as Array<{ sql: string }>;
  const [entry] = engine.all("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?", [name]) as Array<{ wr: bigint }>;
  return {
    name,
    columns,
    foreignKeys,
    uniques: uniques.sort(),
    indexes,
    triggers: triggers.map((row) => row.sql),
    withoutRowid: (entry?.wr ?? 0n) > 0n,
  };
}
