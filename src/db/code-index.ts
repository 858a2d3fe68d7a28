import type { SyncReport } from '../driver/types.ts';
import { CodeDatabase } from './code-database.ts';
import { codeDialect } from './code-dialect.ts';
import { repairCodeIndex } from './code-repair.ts';
import { CODE_SCHEMA, RETIRED_TABLES } from './code-schema.ts';
import type { DatabaseClient } from './database-client.ts';
import { setupSearch } from './search-setup.ts';

export interface OpenedCodeIndex {
  code: CodeDatabase;
  sync: SyncReport;
  /** What was found broken in the code index and mended (one line each), for the log. */
  repaired: string[];
}

/**
 * Bring the code index on `db` up to date and whole: sync the schema (a backup goes to
 * `backupDir` before any destructive change), drop the tables earlier versions had, make
 * the search structures, check the index and mend what is inconsistent; then hand out the
 * CodeDatabase.
 */
export async function openCodeIndex(db: DatabaseClient, options: { backupDir?: string } = {}): Promise<OpenedCodeIndex> {
  const { driver } = await db.ping();
  const sync = await db.syncSchema(CODE_SCHEMA, options.backupDir === undefined ? {} : { backup_dir: options.backupDir });
  const repaired: string[] = [];
  const { tables } = await db.listTables();
  for (const table of RETIRED_TABLES.filter((name) => tables.includes(name))) {
    await db.dropTable(table);
    repaired.push(`dropped the table ${table} (schema ${sync.version} no longer has it)`);
  }
  const dialect = codeDialect(driver);
  const made = await setupSearch(db, dialect);
  // A search table made anew in a database that had the schema already is a repair; in a new one it is not.
  if (sync.previous_version !== null) repaired.push(...made);
  repaired.push(...(await repairCodeIndex(db, dialect)));
  return { code: await CodeDatabase.open(db), sync, repaired };
}
