import { hasChanges, metaChangesOf, protectedAfter, recordMetaStatements } from '../meta-table.ts';
import type { CreateTableInput, DropTableInput } from '../params.ts';
import { createIndexSql, createTableSql } from '../sql/ddl.ts';
import { quote } from '../sql/identifiers.ts';
import type { PostgresCatalog } from './postgres-catalog.ts';
import type { PgPool, PgQueryable } from './postgres-client.ts';
import { postgresDialect } from './postgres-dialect.ts';
import { readMeta } from './postgres-schema-sync.ts';

/** create_table and drop_table on PostgreSQL, each one transaction with its protection record. */

export async function createTable(pool: PgPool, catalog: PostgresCatalog, { schema }: CreateTableInput): Promise<{ success: true; created: boolean }> {
  await catalog.load();
  const created = !catalog.table(schema.name);
  try {
    await pool.begin(async (tx) => {
      await tx.unsafe(createTableSql(schema, postgresDialect, { ifNotExists: true }));
      for (const index of schema.indexes) await tx.unsafe(createIndexSql(schema.name, index, { ifNotExists: true }));
      if (schema.protected) await recordProtection(tx, catalog, [schema]);
    });
  } finally {
    catalog.invalidate();
  }
  return { success: true, created };
}

export async function dropTable(pool: PgPool, catalog: PostgresCatalog, { table_name, if_exists }: DropTableInput): Promise<{ success: true; dropped: boolean }> {
  await catalog.load();
  if (!catalog.table(table_name)) {
    if (if_exists) return { success: true, dropped: false };
    await catalog.require(table_name);
  }
  try {
    await pool.begin(async (tx) => {
      await tx.unsafe(`DROP TABLE ${quote(table_name)}`);
      await recordProtection(tx, catalog, [{ name: table_name, protected: false }]);
    });
  } finally {
    catalog.invalidate();
  }
  return { success: true, dropped: true };
}

/** Record that `tables` are now protected or not, when that changes anything. */
async function recordProtection(via: PgQueryable, catalog: PostgresCatalog, tables: Array<{ name: string; protected: boolean }>): Promise<void> {
  const meta = await readMeta(via, catalog);
  const changes = metaChangesOf(meta, undefined, protectedAfter(meta.protectedTables, tables));
  if (!hasChanges(changes)) return;
  for (const statement of recordMetaStatements(postgresDialect, changes)) await via.unsafe(statement.sql, statement.params);
}
