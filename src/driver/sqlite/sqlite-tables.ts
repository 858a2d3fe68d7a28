import { requireTable } from '../catalog.ts';
import { hasChanges, metaChangesOf, protectedAfter, recordMetaStatements } from '../meta-table.ts';
import type { CreateTableInput, DropTableInput } from '../params.ts';
import { createIndexSql, createTableSql } from '../sql/ddl.ts';
import { quote } from '../sql/identifiers.ts';
import { readMeta } from './schema-sync.ts';
import type { SqliteCatalog } from './sqlite-catalog.ts';
import { sqliteDialect } from './sqlite-dialect.ts';
import type { SqliteWriter } from './sqlite-writer.ts';

/** create_table and drop_table on the writer, each one transaction with its protection record. */

export function createTable(writer: SqliteWriter, catalog: SqliteCatalog, { schema }: CreateTableInput): { success: true; created: boolean } {
  const engine = writer.forWrite(undefined);
  const created = !catalog.table(schema.name);
  try {
    writer.atomic(() => {
      engine.exec(createTableSql(schema, sqliteDialect, { ifNotExists: true }));
      for (const index of schema.indexes) engine.exec(createIndexSql(schema.name, index, { ifNotExists: true }));
      if (schema.protected) recordProtection(writer, catalog, [schema]);
    });
  } finally {
    catalog.invalidate();
  }
  return { success: true, created };
}

export function dropTable(writer: SqliteWriter, catalog: SqliteCatalog, { table_name, if_exists }: DropTableInput): { success: true; dropped: boolean } {
  const engine = writer.forWrite(undefined);
  if (!catalog.table(table_name)) {
    if (if_exists) return { success: true, dropped: false };
    requireTable(catalog, table_name);
  }
  try {
    writer.atomic(() => {
      engine.exec(`DROP TABLE ${quote(table_name)}`);
      recordProtection(writer, catalog, [{ name: table_name, protected: false }]);
    });
  } finally {
    catalog.invalidate();
  }
  return { success: true, dropped: true };
}

/** Record that `tables` are now protected or not, when that changes anything. */
function recordProtection(writer: SqliteWriter, catalog: SqliteCatalog, tables: Array<{ name: string; protected: boolean }>): void {
  const meta = readMeta(writer.engine, catalog);
  const changes = metaChangesOf(meta, undefined, protectedAfter(meta.protectedTables, tables));
  if (!hasChanges(changes)) return;
  for (const statement of recordMetaStatements(sqliteDialect, changes)) writer.engine.run(statement.sql, statement.params);
}
