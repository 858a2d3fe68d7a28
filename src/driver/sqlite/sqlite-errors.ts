import { RpcError } from '../../ipc/errors.ts';

/** Names of the SQLite result codes worth telling apart (primary and extended). */
const CODE_NAMES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  9: 'SQLITE_INTERRUPT',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  18: 'SQLITE_TOOBIG',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
  275: 'SQLITE_CONSTRAINT_CHECK',
  787: 'SQLITE_CONSTRAINT_FOREIGNKEY',
  1299: 'SQLITE_CONSTRAINT_NOTNULL',
  1555: 'SQLITE_CONSTRAINT_PRIMARYKEY',
  2067: 'SQLITE_CONSTRAINT_UNIQUE',
};

/** Turn an error thrown by either SQLite library into an RpcError with a stable code. */
export function toRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  const native = error as { message?: string; code?: unknown; errcode?: unknown };
  const message = native?.message ?? String(error);
  let databaseCode: string | undefined;
  if (typeof native?.errcode === 'number') {
    databaseCode = CODE_NAMES[native.errcode] ?? CODE_NAMES[native.errcode & 0xff] ?? `SQLITE_${native.errcode}`;
  }
  else if (typeof native?.code === 'string' && native.code.startsWith('SQLITE_')) databaseCode = native.code;
  if (!databaseCode) {
    // Not from SQLite itself: misuse of the library (bad binding, more than one statement…).
    return new RpcError('VALIDATION_ERROR', message, undefined, { cause: error });
  }
  return new RpcError('DATABASE_ERROR', message, { database_code: databaseCode }, { cause: error });
}

/** Opening a database: a failure is the database's (SQLITE_CANTOPEN), whatever the library threw. */
export function openError(path: string, error: unknown): RpcError {
  const mapped = toRpcError(error);
  if (mapped.is('DATABASE_ERROR')) return mapped;
  return new RpcError('DATABASE_ERROR', `cannot open ${path}: ${mapped.message}`, { database_code: 'SQLITE_CANTOPEN' }, { cause: error });
}
