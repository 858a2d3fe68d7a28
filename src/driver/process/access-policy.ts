import type { BatchInput, CreateTableInput, ExecuteInput, SyncSchemaInput } from '../params.ts';
import { ProtectedTables, protectedRefusal } from '../protection.ts';
import { guardExecute } from '../sql/execute-guard.ts';
import type { SqlDialectName } from '../sql/sql-lexer.ts';

/** What admission learnt of a request it let through. */
export interface Admitted {
  /** An `execute` whose statement only reads. */
  readOnly: boolean;
}

const WRITES_TABLE = new Set(['insert', 'insert_many', 'update', 'delete', 'drop_table']);

/**
 * Who may change what (TEAM decision 3), checked once when a request arrives, before it is
 * queued: protected tables only by owner connections, the meta table by nobody, and raw SQL
 * under the execute guards for everyone. Knows the protected tables as the database records
 * them; the service tells it when a sync or a table change may have changed them.
 */
export class AccessPolicy {
  private tables: ProtectedTables;

  constructor(
    private readonly dialect: SqlDialectName,
    protectedNames: readonly string[] = [],
  ) {
    this.tables = new ProtectedTables(protectedNames);
  }

  get protectedTables(): string[] {
    return this.tables.list;
  }

  update(protectedNames: readonly string[]): void {
    this.tables = new ProtectedTables(protectedNames);
  }

  /** Throws PERMISSION_DENIED (or VALIDATION_ERROR for malformed raw SQL) naming the field. */
  check(method: string, params: Record<string, unknown>, owner: boolean, prefix = 'params'): Admitted {
    if (WRITES_TABLE.has(method)) {
      this.tables.checkChange(params.table_name as string, owner, `${prefix}.table_name`);
      return { readOnly: false };
    }
    switch (method) {
      case 'execute':
        return guardExecute((params as ExecuteInput).sql, this.dialect, { owner, protectedTables: this.tables }, `${prefix}.sql`);
      case 'batch':
        (params as BatchInput).operations.forEach((operation, i) => this.check(operation.method, operation.params, owner, `${prefix}.operations[${i}].params`));
        return { readOnly: false };
      case 'create_table':
        this.checkDefinition([(params as CreateTableInput).schema], owner, `${prefix}.schema`);
        return { readOnly: false };
      case 'sync_schema': {
        const input = params as SyncSchemaInput;
        if (!input.dry_run) this.checkDefinition(input.schema_definition.tables, owner, `${prefix}.schema_definition`);
        return { readOnly: false };
      }
      default:
        return { readOnly: false };
    }
  }

  /** Creating, altering or (un)protecting a protected table is the owner's. */
  private checkDefinition(tables: ReadonlyArray<{ name: string; protected?: boolean }>, owner: boolean, field: string): void {
    for (const [i, table] of tables.entries()) {
      const at = field.endsWith('.schema') ? `${field}.name` : `${field}.tables[${i}].name`;
      if (table.protected && !owner) throw protectedRefusal(table.name, at);
      this.tables.checkChange(table.name, owner, at);
    }
  }
}
