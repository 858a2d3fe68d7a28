import { RpcError } from '../../ipc/errors.ts';
import { columnSql, createIndexSql, createTableSql, defaultsToNow } from '../sql/ddl.ts';
import { quote } from '../sql/identifiers.ts';
import { emptySyncReport } from '../sync-report.ts';
import type { SchemaDefinition, TableDefinition } from '../table-schema.ts';
import type { SyncReport } from '../types.ts';
import { EMPTY_META, hasChanges, META_TABLE, type MetaRecord, metaChangesOf, parseMeta, protectedAfter, READ_META_SQL, recordMetaStatements } from '../meta-table.ts';
import type { Statement } from '../sql/statements.ts';
import type { PostgresCatalog } from './postgres-catalog.ts';
import type { PgQueryable } from './postgres-client.ts';
import { postgresDialect } from './postgres-dialect.ts';

/**
 * sync_schema on PostgreSQL, at the level of the SQLite driver: create missing tables and
 * indexes, add missing columns, report what would need a rebuild in `unsupported`. The
 * statements run in one transaction (PostgreSQL's DDL is transactional).
 */

export interface SyncPlan {
  report: SyncReport;
  statements: Statement[];
}

/** The bookkeeping as recorded; the empty record before the first sync. */
export async function readMeta(via: PgQueryable, catalog: PostgresCatalog): Promise<MetaRecord> {
  await catalog.load(via);
  if (!catalog.table(META_TABLE)) return EMPTY_META;
  return parseMeta(await via.unsafe(READ_META_SQL));
}

async function existingIndexes(via: PgQueryable): Promise<Set<string>> {
  const rows = await via.unsafe('SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()');
  return new Set(rows.map((row) => row.indexname as string));
}

export async function planSchemaSync(via: PgQueryable, catalog: PostgresCatalog, definition: SchemaDefinition, dryRun: boolean): Promise<SyncPlan> {
  const meta = await readMeta(via, catalog);
  const report = emptySyncReport(definition, meta.version, dryRun);
  report.protected_tables = protectedAfter(meta.protectedTables, definition.tables);
  const changes = metaChangesOf(meta, definition.version, report.protected_tables);
  const statements: Statement[] = [];
  const indexes = await existingIndexes(via);
  const seen = new Set<string>();
  for (const table of definition.tables) {
    if (seen.has(table.name)) throw new RpcError('SCHEMA_ERROR', `table "${table.name}" is defined twice`, { table: table.name });
    seen.add(table.name);
    const live = catalog.table(table.name);
    if (!live) {
      statements.push({ sql: createTableSql(table, postgresDialect), params: [] });
      report.created_tables.push(table.name);
    } else {
      const added = planColumns(table, live.columns, statements, report);
      if (added.length) report.altered_tables.push({ table: table.name, added_columns: added });
    }
    for (const index of table.indexes) {
      if (live && indexes.has(index.name)) continue;
      statements.push({ sql: createIndexSql(table.name, index), params: [] });
      report.created_indexes.push(index.name);
    }
  }
  if (hasChanges(changes) || statements.length) statements.push(...recordMetaStatements(postgresDialect, changes));
  return { report, statements };
}

function planColumns(
  table: TableDefinition,
  live: ReadonlyMap<string, { type: string | null }>,
  statements: Statement[],
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
      // Refused as on SQLite, so one schema definition behaves the same on both.
      throw new RpcError(
        'SCHEMA_ERROR',
        `cannot add column ${table.name}.${column.name}: a new PRIMARY KEY, UNIQUE, NOT NULL without a default, or CURRENT_TIMESTAMP column needs a table rebuild`,
        { table: table.name, column: column.name },
      );
    }
    statements.push({ sql: `ALTER TABLE ${quote(table.name)} ADD COLUMN ${columnSql(column, table.name, postgresDialect, false)}`, params: [] });
    added.push(column.name);
  }
  for (const name of live.keys()) {
    if (!table.columns.some((column) => column.name === name)) {
      report.unsupported.push(`${table.name}.${name}: dropping a column needs a table rebuild`);
    }
  }
  return added;
}
