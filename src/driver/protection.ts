import { RpcError } from '../ipc/errors.ts';
import { META_TABLE } from './meta-table.ts';

/**
 * Tables only the server's own connections may change (TEAM decision 3): those a schema
 * definition marks `"protected": true`, and the tables named after them with a suffix
 * (`symbols_fts`, `symbols_fts_data`: SQLite keeps a full-text index in such tables). A
 * connection that said `hello {role: "owner"}` may change them; others may only read them.
 * The driver's own meta table is changed by the driver alone.
 */
export class ProtectedTables {
  private readonly names: ReadonlySet<string>;

  constructor(names: Iterable<string> = []) {
    this.names = new Set([...names].map((name) => name.toLowerCase()));
  }

  /** The names as recorded (lower case, sorted). */
  get list(): string[] {
    return [...this.names].sort();
  }

  /** The protected table that covers `name`, if any (the meta table counts as one). */
  covering(name: string): string | undefined {
    const lower = name.toLowerCase();
    if (lower === META_TABLE) return META_TABLE;
    if (this.names.has(lower)) return lower;
    for (const protectedName of this.names) if (lower.startsWith(`${protectedName}_`)) return protectedName;
    return undefined;
  }

  /** Throw PERMISSION_DENIED when a caller that is not the owner would change `table`. */
  checkChange(table: string, owner: boolean, field: string): void {
    const covering = this.covering(table);
    if (covering === undefined) return;
    if (covering === META_TABLE) throw metaRefusal(field);
    if (!owner) throw protectedRefusal(table, field);
  }
}

export function protectedRefusal(table: string, field: string): RpcError {
  return new RpcError(
    'PERMISSION_DENIED',
    `${field}: table "${table}" is protected: only the server's own connections (hello with role "owner") may change it; reading it is allowed`,
    { field, table },
  );
}

export function metaRefusal(field: string): RpcError {
  return new RpcError('PERMISSION_DENIED', `${field}: table "${META_TABLE}" is the driver's own bookkeeping; nobody changes it directly`, {
    field,
    table: META_TABLE,
  });
}
