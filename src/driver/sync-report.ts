import type { SchemaDefinition } from './table-schema.ts';
import type { SyncReport } from './types.ts';

/** The report of a sync before any change is planned: every engine starts from this. */
export function emptySyncReport(definition: SchemaDefinition, previousVersion: string | null, dryRun: boolean): SyncReport {
  return {
    dry_run: dryRun,
    version: definition.version ?? null,
    previous_version: previousVersion,
    created_tables: [],
    altered_tables: [],
    rebuilt_tables: [],
    created_indexes: [],
    dropped_indexes: [],
    backup_path: null,
    unsupported: [],
    protected_tables: [],
  };
}
