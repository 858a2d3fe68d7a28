import { RpcError } from '../../ipc/errors.ts';
import { columnSql, createIndexSql, createTableSql, defaultsToNow } from '../sql/ddl.ts';
import { quote } from '../sql/identifiers.ts';
import type { SchemaDefinition, TableDefinition } from '../table-schema.ts';
import type { SyncReport } from '../types.ts';
import type { SqliteCatalog } from './sqlite-catalog.ts';
import { META_TABLE } from './sqlite-catalog.ts';
import { sqliteDialect } from './sqlite-dialect.ts';
import type { SqliteEngine } from './engine.ts';

export interface SyncPlan {
  report: SyncReport;
  statements: string[];
}

function existingIndexes(engine: SqliteEngine, table: string): Set<string> {
  const rows = engine.all("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?", [table]) as Array<{ name: string }>;
  return new Set(rows.map((row) => row.name));
}

export function readSchemaVersion(engine: SqliteEngine, catalog: SqliteCatalog): string | null {
  if (!catalog.table(META_TABLE)) return null;
  const rows = engine.all(`SELECT value FROM ${quote(META_TABLE)} WHERE key = 'schema_version'`) as Array<{ value: string }>;
  return rows[0]?.value ?? null;
}

/**
 * Compare a schema definition with the live database: what to create, which columns to
 * add. Changes SQLite cannot ALTER (type, NOT NULL, dropped column, new key) are listed in
 * `unsupported` rather than silently ignored.
 */
export function planSchemaSync(engine: SqliteEngine, catalog: SqliteCatalog, definition: SchemaDefinition, dryRun: boolean): SyncPlan {
  const report: SyncReport = {
    dry_run: dryRun,
    version: definition.version,
    previous_version: readSchemaVersion(engine, catalog),
    created_tables: [],
    altered_tables: [],
    rebuilt_tables: [],
    created_indexes: [],
    dropped_indexes: [],
    backup_path: null,
    unsupported: [],
  };
  const statements: string[] = [];
  const seen = new Set<string>();
  for (const table of definition.tables) {
    if (seen.has(table.name)) throw new RpcError('SCHEMA_ERROR', `table "${table.name}" is defined twice`, { table: table.name });
    seen.add(table.name);
    const live = catalog.table(table.name);
    if (!live) {
      statements.push(createTableSql(table, sqliteDialect));
      report.created_tables.push(table.name);
      for (const index of table.indexes) {
        statements.push(createIndexSql(table.name, index));
        report.created_indexes.push(index.name);
      }
      continue;
    }
    const added = planColumns(table, live.columns, statements, report);
    if (added.length) report.altered_tables.push({ table: table.name, added_columns: added });
    const indexes = existingIndexes(engine, table.name);
    for (const index of table.indexes) {
      if (indexes.has(index.name)) continue;
      statements.push(createIndexSql(table.name, index));
      report.created_indexes.push(index.name);
    }
  }
  return { report, statements };
}

function planColumns(
  table: TableDefinition,
  live: ReadonlyMap<string, { type: string | null; notNull: boolean }>,
  statements: string[],
  report: SyncReport,
): string[] {
  const added: string[] = [];
  for (const column of table.columns) {
    const current = live.get(column.name);
    if (current) {
      if (current.type !== column.type) {
        report.unsupported.push(`${table.name}.${column.name}: type ${current.type ?? 'untyped'} -> ${column.type} needs a table rebuild`);
      }
      continue;
    }
    if (column.primary_key || column.unique || (column.not_null && column.default === undefined) || defaultsToNow(column)) {
      throw new RpcError(
        'SCHEMA_ERROR',
        `cannot add column ${table.name}.${column.name}: a new PRIMARY KEY, UNIQUE, NOT NULL without a default, or CURRENT_TIMESTAMP column needs a table rebuild`,
        { table: table.name, column: column.name },
      );
    }
    statements.push(`ALTER TABLE ${quote(table.name)} ADD COLUMN ${columnSql(column, table.name, sqliteDialect, false)}`);
    added.push(column.name);
  }
  for (const name of live.keys()) {
    if (!table.columns.some((column) => column.name === name)) {
      report.unsupported.push(`${table.name}.${name}: dropping a column needs a table rebuild`);
    }
  }
  return added;
}

export function recordVersionStatements(version: string): Array<{ sql: string; params: unknown[] }> {
  return [
    { sql: `CREATE TABLE IF NOT EXISTS ${quote(META_TABLE)} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`, params: [] },
    {
      sql: `INSERT INTO ${quote(META_TABLE)} (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      params: [version],
    },
  ];
}
