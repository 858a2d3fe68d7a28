import type { RpcAccess } from '../config/schema.ts';
import { METHODS } from '../driver/methods.ts';
import { RpcError } from '../ipc/errors.ts';
import { isCodeCommand } from '../tools/registry.ts';
import type { SqlDialectName } from '../driver/sql/sql-lexer.ts';
import { writingPart } from './read-only-sql.ts';

/** Driver methods that only read (besides `execute` of read-only SQL and a `batch` of reads). */
const READ_METHODS: ReadonlySet<string> = new Set(['ping', 'stats', 'select', 'vector_search', 'get_table_info', 'list_tables', 'get_schema_version']);

const HOW_TO_WRITE = 'writes over HTTP need server.rpc "write", and the auth token when the server has one (the read token only reads)';

/** Why `method` with `params` writes, or null when it only reads. Unvalidated params are left for validation to refuse. */
function writeReason(method: string, params: unknown, dialect: SqlDialectName): string | null {
  // Unknown methods are refused as such by the dispatcher, not as writes.
  if (READ_METHODS.has(method) || isCodeCommand(method) || !Object.hasOwn(METHODS, method)) return null;
  const fields = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
  if (method === 'execute') {
    if (typeof fields.sql !== 'string') return null;
    const part = writingPart(fields.sql, dialect);
    return part === null ? null : `execute of SQL that may write (${part})`;
  }
  if (method === 'batch') {
    if (!Array.isArray(fields.operations)) return null;
    for (const [i, operation] of fields.operations.entries()) {
      const entry = typeof operation === 'object' && operation !== null ? (operation as Record<string, unknown>) : {};
      const reason = writeReason(String(entry.method), entry.params, dialect);
      if (reason !== null) return `batch operation ${i} (${reason})`;
    }
    return null;
  }
  return method;
}

/**
 * Refuse, with PERMISSION_DENIED naming the method, a request POST /rpc may not make at
 * this access level: `off` refuses every one, `read` those that may write (the driver's
 * own guards still apply to the rest, at every level).
 */
export function authorizeRpc(method: string, params: unknown, access: RpcAccess, dialect: SqlDialectName): void {
  if (access === 'write') return;
  if (access === 'off') {
    throw new RpcError('PERMISSION_DENIED', 'POST /rpc is turned off on this server (server.rpc is "off")', { method, access });
  }
  const reason = writeReason(method, params, dialect);
  if (reason !== null) {
    throw new RpcError('PERMISSION_DENIED', `${reason} is not allowed with read access; ${HOW_TO_WRITE}`, { method, access });
  }
}
