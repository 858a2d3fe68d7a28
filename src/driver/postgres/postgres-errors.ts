import { type ErrorCodeName, RpcError } from '../../ipc/errors.ts';

/** Errors of the socket or of postgres.js's connection handling: the server is out of reach. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The protocol code of a SQLSTATE (PostgreSQL error codes, appendix A of its manual). */
function codeOf(sqlstate: string): ErrorCodeName {
  if (sqlstate === '40001' || sqlstate === '40P01' || sqlstate === '25P02') return 'TRANSACTION_ERROR';
  if (sqlstate === '42P01') return 'NOT_FOUND';
  if (sqlstate === '57014') return 'TIMEOUT';
  // 08 connection exception, 57P01–03 server shutting down or starting, 28 authentication,
  // 3D000 no such database: nothing this request did wrong, the server cannot be used.
  if (sqlstate.startsWith('08') || sqlstate.startsWith('57P') || sqlstate.startsWith('28') || sqlstate === '3D000') return 'CONNECTION_ERROR';
  if (sqlstate === '42501') return 'PERMISSION_DENIED';
  // Constraint violations (class 23), syntax errors and the rest: the database refused it,
  // as SQLite's SQLITE_CONSTRAINT_* and SQLITE_ERROR are DATABASE_ERROR.
  return 'DATABASE_ERROR';
}

/** Turn what postgres.js threw into an RpcError; the SQLSTATE (or socket code) goes in `data.database_code`. */
export function toRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  const native = error as { message?: string; code?: unknown; detail?: unknown };
  const message = native?.message ?? String(error);
  const code = typeof native?.code === 'string' ? native.code : undefined;
  if (code && CONNECTION_CODES.has(code)) {
    return new RpcError('CONNECTION_ERROR', `PostgreSQL unreachable: ${message}`, { database_code: code }, { cause: error });
  }
  if (code && SQLSTATE.test(code) && (error as { name?: string }).name === 'PostgresError') {
    const detail = typeof native.detail === 'string' ? ` (${native.detail})` : '';
    return new RpcError(codeOf(code), `${message}${detail}`, { database_code: code }, { cause: error });
  }
  // Not from the server: misuse of the client library (a bad parameter and the like).
  return new RpcError('VALIDATION_ERROR', message, code ? { database_code: code } : undefined, { cause: error });
}

/** A database URL fit for messages and statistics: host, port and database, never the password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    return `${user}${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname || '/'}`;
  } catch {
    return '(unparsable PostgreSQL URL)';
  }
}
