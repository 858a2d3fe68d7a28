import type { TableCatalog, TableInfo } from '../catalog.ts';
import { META_TABLE } from '../meta-table.ts';
import { toPortableType } from '../table-schema.ts';
import type { ColumnInfo } from '../values.ts';
import type { SqliteEngine } from './engine.ts';


interface PragmaColumn {
  name: string;
  type: string;
  notnull: bigint;
  dflt_value: string | null;
  pk: bigint;
}

/**
 * The live tables, read from SQLite and cached until a statement that may change the
 * schema runs (the driver process is the only writer, so nobody else changes it). Each
 * connection keeps its own: a reader's is invalidated when the writer's generation moves.
 */
export class SqliteCatalog implements TableCatalog {
  private tables: Map<string, TableInfo> | null = null;
  private changes = 0;

  constructor(private readonly engine: SqliteEngine) {}

  /** Counts invalidations: how other connections' catalogs learn the schema may have changed. */
  get generation(): number {
    return this.changes;
  }

  invalidate(): void {
    this.tables = null;
    this.changes++;
  }

  table(name: string): TableInfo | undefined {
    return this.load().get(name);
  }

  /** User tables, without SQLite's own and the driver's bookkeeping table. */
  names(): string[] {
    return [...this.load().keys()].filter((name) => name !== META_TABLE).sort();
  }


  private load(): Map<string, TableInfo> {
    if (this.tables) return this.tables;
    const tables = new Map<string, TableInfo>();
    const names = this.engine.all("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    for (const { name } of names as Array<{ name: string }>) {
      const columns = new Map<string, ColumnInfo>();
      const rows = this.engine.all('SELECT * FROM pragma_table_info(?)', [name]) as unknown as PragmaColumn[];
      const keyColumns = rows.filter((row) => row.pk > 0n).length;
      for (const row of rows) {
        const primaryKey = row.pk > 0n;
        // Only a lone INTEGER PRIMARY KEY is the rowid alias, which can never be NULL.
        const integerKey = primaryKey && keyColumns === 1 && row.type.toUpperCase() === 'INTEGER';
        columns.set(row.name, {
          name: row.name,
          type: row.type ? (toPortableType(row.type) ?? null) : null,
          declaredType: row.type,
          notNull: row.notnull > 0n || integerKey,
          primaryKey,
          defaultValue: row.dflt_value,
        });
      }
      tables.set(name, { name, columns });
    }
    this.tables = tables;
    return tables;
  }
}
