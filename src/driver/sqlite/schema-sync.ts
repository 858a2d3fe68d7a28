import { RpcError } from '../../ipc/errors.ts';
import { EMPTY_META, hasChanges, META_TABLE, type MetaRecord, metaChangesOf, parseMeta, protectedAfter, READ_META_SQL, recordMetaStatements } from '../meta-table.ts';
import type { SyncSchemaInput } from '../params.ts';
import { columnSql, createIndexSql, createTableSql } from '../sql/ddl.ts';
import { quote } from '../sql/identifiers.ts';
import { emptySyncReport } from '../sync-report.ts';
import type { SchemaDefinition } from '../table-schema.ts';
import type { SyncReport } from '../types.ts';
import type { SqliteEngine } from './engine.ts';
import { readLiveTable } from './live-table.ts';
import { backupBeforeSync, type SyncBackupDir } from './pre-sync-backup.ts';
import { diffTable } from './schema-diff.ts';
import type { SqliteCatalog } from './sqlite-catalog.ts';
import { sqliteDialect } from './sqlite-dialect.ts';
import type { SqliteWriter } from './sqlite-writer.ts';
import { rebuildTableStatements } from './table-rebuild.ts';

/** One statement of a sync, with the table it changes (named when it fails). */
export interface SyncStep {
  table: string;
  sql: string;
}

export interface SyncPlan {
  report: SyncReport;
  steps: SyncStep[];
}

/** The bookkeeping as recorded; the empty record before the first sync. */
export function readMeta(engine: SqliteEngine, catalog: SqliteCatalog): MetaRecord {
  if (!catalog.table(META_TABLE)) return EMPTY_META;
  return parseMeta(engine.all(READ_META_SQL));
}

/**
 * Compare a schema definition with the live database: tables to create, columns to add,
 * tables to rebuild (what ALTER TABLE cannot do), indexes to drop and create. Tables the
 * definition does not name are left alone. Throws SCHEMA_ERROR for what cannot work at all.
 */
export function planSchemaSync(engine: SqliteEngine, catalog: SqliteCatalog, definition: SchemaDefinition, dryRun: boolean, meta: MetaRecord): SyncPlan {
  const report = emptySyncReport(definition, meta.version, dryRun);
  report.protected_tables = protectedAfter(meta.protectedTables, definition.tables);
  // Indexes are dropped first, so a name may move to another table in the same sync.
  const drops: SyncStep[] = [];
  const steps: SyncStep[] = [];
  const seen = new Set<string>();
  for (const table of definition.tables) {
    const step = (sql: string) => steps.push({ table: table.name, sql });
    if (seen.has(table.name)) throw new RpcError('SCHEMA_ERROR', `table "${table.name}" is defined twice`, { table: table.name });
    if (table.name === META_TABLE) throw new RpcError('SCHEMA_ERROR', `table "${META_TABLE}" is the driver's own and cannot be defined`, { table: table.name });
    seen.add(table.name);
    if (!catalog.table(table.name)) {
      step(createTableSql(table, sqliteDialect));
      report.created_tables.push(table.name);
      for (const index of table.indexes) step(createIndexSql(table.name, index));
      report.created_indexes.push(...table.indexes.map((index) => index.name));
      continue;
    }
    const live = readLiveTable(engine, table.name);
    const diff = diffTable(table, live);
    report.dropped_indexes.push(...diff.droppedIndexes);
    report.created_indexes.push(...diff.createdIndexes.map((index) => index.name));
    if (diff.rebuild) {
      // The old table's indexes go with it; every defined index is made anew.
      rebuildTableStatements(engine, table, live).forEach(step);
      for (const index of table.indexes) step(createIndexSql(table.name, index));
      report.rebuilt_tables.push(table.name);
      continue;
    }
    for (const column of diff.added) step(`ALTER TABLE ${quote(table.name)} ADD COLUMN ${columnSql(column, table.name, sqliteDialect, false)}`);
    if (diff.added.length) report.altered_tables.push({ table: table.name, added_columns: diff.added.map((column) => column.name) });
    drops.push(...diff.droppedIndexes.map((name) => ({ table: table.name, sql: `DROP INDEX ${quote(name)}` })));
    for (const index of diff.createdIndexes) step(createIndexSql(table.name, index));
  }
  return { report, steps: [...drops, ...steps] };
}

/** What needs the backup, in words, for the error that refuses to go without one. */
function destructiveChanges(report: SyncReport): string {
  const parts = [];
  if (report.rebuilt_tables.length) parts.push(`rebuilding ${report.rebuilt_tables.join(', ')}`);
  if (report.dropped_indexes.length) parts.push(`dropping index ${report.dropped_indexes.join(', ')}`);
  return parts.join(' and ');
}

function checkForeignKeys(engine: SqliteEngine): void {
  const violations = engine.all('PRAGMA foreign_key_check') as Array<{ table: string; parent: string }>;
  const [first] = violations;
  if (!first) return;
  const count = violations.filter((row) => row.table === first.table).length;
  throw new RpcError(
    'SCHEMA_ERROR',
    `foreign key check failed after the sync: ${count} row(s) of table "${first.table}" reference missing rows of "${first.parent}"; nothing was changed`,
    { table: first.table, parent: first.parent, violations: violations.length },
  );
}

/** Steps 1 and 12 of the rebuild procedure: foreign keys can only be switched outside a transaction. */
function withoutForeignKeys<T>(engine: SqliteEngine, work: () => T): T {
  const [keys] = engine.all('PRAGMA foreign_keys') as Array<{ foreign_keys: bigint }>;
  const [legacy] = engine.all('PRAGMA legacy_alter_table') as Array<{ legacy_alter_table: bigint }>;
  // Legacy renaming leaves views naming the table alone; otherwise RENAME fails on them
  // while the old table is gone.
  engine.exec('PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON');
  try {
    return work();
  } finally {
    const on = (value: bigint | undefined) => ((value ?? 0n) > 0n ? 'ON' : 'OFF');
    engine.exec(`PRAGMA foreign_keys = ${on(keys?.foreign_keys)}; PRAGMA legacy_alter_table = ${on(legacy?.legacy_alter_table)}`);
  }
}

/**
 * `sync_schema`: plan; unless a dry run, back up before anything destructive, then apply
 * every step and record the version in one transaction. Any failure rolls all of it back.
 */
export async function syncSchema(writer: SqliteWriter, catalog: SqliteCatalog, input: SyncSchemaInput, backups: SyncBackupDir | undefined): Promise<SyncReport> {
  const engine = writer.forWrite(undefined);
  const { schema_definition: definition, dry_run } = input;
  const meta = readMeta(engine, catalog);
  const { report, steps } = planSchemaSync(engine, catalog, definition, dry_run, meta);
  const changes = metaChangesOf(meta, definition.version, report.protected_tables);
  if (dry_run || (!steps.length && !hasChanges(changes))) return report;
  const destructive = destructiveChanges(report);
  if (destructive) report.backup_path = await backupBeforeSync(engine, backups, definition.version ?? 'unversioned', destructive);
  const apply = () =>
    writer.atomic(() => {
      for (const step of steps) {
        try {
          engine.exec(step.sql);
        } catch (error) {
          const cause = RpcError.from(error);
          throw new RpcError('SCHEMA_ERROR', `sync of table "${step.table}" failed: ${cause.message}; nothing was changed`, {
            ...cause.data,
            table: step.table,
          });
        }
      }
      if (report.rebuilt_tables.length) checkForeignKeys(engine);
      for (const statement of recordMetaStatements(sqliteDialect, changes)) engine.run(statement.sql, statement.params);
    });
  try {
    if (report.rebuilt_tables.length) withoutForeignKeys(engine, apply);
    else apply();
  } catch (error) {
    const cause = RpcError.from(error);
    if (!report.backup_path) throw cause;
    throw new RpcError(cause.codeName, cause.message, { ...cause.data, backup_path: report.backup_path }, { cause: error });
  }
  return report;
}
