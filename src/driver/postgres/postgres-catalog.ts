import { requireTable, type TableCatalog, type TableInfo } from '../catalog.ts';
import { META_TABLE } from '../meta-table.ts';
import { toPortableType } from '../table-schema.ts';
import type { ColumnInfo } from '../values.ts';
import type { PgQueryable } from './postgres-client.ts';


interface CatalogRow {
  table_name: string;
  name: string;
  type: string;
  not_null: boolean;
  default_value: string | null;
  primary_key: boolean;
}

/** Every column of the ordinary tables of the connection's current schema, in table order. */
const COLUMNS_SQL = `
SELECT c.relname AS table_name, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default_value,
       coalesce(a.attnum = ANY (i.indkey), false) AS primary_key
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
ORDER BY c.relname, a.attnum`;

/** `'x'::text` → `'x'`: defaults read as they were written, as SQLite reports them. */
function plainDefault(expression: string | null): string | null {
  if (expression === null) return null;
  const cast = /^('(?:[^']|'')*'|-?[\d.]+)::[a-z ]+(\(\d+(,\d+)?\))?$/.exec(expression);
  return cast ? cast[1]! : expression;
}

/**
 * The live tables, read from pg_catalog and cached until something that may change the
 * schema runs through this driver. Other clients of the same database may change it too,
 * so a table missing from the cache is looked up again before it is declared unknown.
 */
export class PostgresCatalog implements TableCatalog {
  private tables: Map<string, TableInfo> | null = null;
  private loading: Promise<Map<string, TableInfo>> | null = null;

  constructor(private readonly pool: PgQueryable) {}

  invalidate(): void {
    this.tables = null;
  }

  /** Synchronous lookup in the loaded catalog (call `load` first). */
  table(name: string): TableInfo | undefined {
    return this.tables?.get(name);
  }

  /** The table or NOT_FOUND, reading the catalog again once when it is not (yet) known. */
  async require(name: string, via: PgQueryable = this.pool, field?: string): Promise<TableInfo> {
    await this.load(via);
    if (!this.table(name)) {
      this.invalidate();
      await this.load(via);
    }
    return requireTable(this, name, field);
  }

  async names(via: PgQueryable = this.pool): Promise<string[]> {
    const tables = await this.load(via);
    return [...tables.keys()].filter((name) => name !== META_TABLE).sort();
  }


  /** Read the catalog, through `via` when inside a transaction (which sees its own tables). */
  async load(via: PgQueryable = this.pool): Promise<Map<string, TableInfo>> {
    if (this.tables) return this.tables;
    if (via === this.pool && this.loading) return this.loading;
    const loading = this.read(via);
    if (via === this.pool) this.loading = loading;
    try {
      this.tables = await loading;
      return this.tables;
    } finally {
      if (this.loading === loading) this.loading = null;
    }
  }

  private async read(via: PgQueryable): Promise<Map<string, TableInfo>> {
    const rows = (await via.unsafe(COLUMNS_SQL)) as unknown as CatalogRow[];
    const tables = new Map<string, TableInfo>();
    for (const row of rows) {
      let table = tables.get(row.table_name);
      if (!table) tables.set(row.table_name, (table = { name: row.table_name, columns: new Map<string, ColumnInfo>() }));
      (table.columns as Map<string, ColumnInfo>).set(row.name, {
        name: row.name,
        type: toPortableType(row.type) ?? null,
        declaredType: row.type,
        notNull: row.not_null,
        primaryKey: row.primary_key,
        defaultValue: plainDefault(row.default_value),
      });
    }
    return tables;
  }
}
