/** Protocol error codes (numeric, compatible with the system this replaces; DESIGN §3). */
export const ErrorCode = {
  INVALID_REQUEST: 1,
  DATABASE_ERROR: 2,
  NOT_FOUND: 3,
  VALIDATION_ERROR: 4,
  PERMISSION_DENIED: 5,
  TIMEOUT: 6,
  INTERNAL_ERROR: 7,
  TRANSACTION_ERROR: 8,
  SCHEMA_ERROR: 9,
  CONNECTION_ERROR: 10,
  QUEUE_FULL: 11,
  SHUTTING_DOWN: 12,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;
export type ErrorCodeNumber = (typeof ErrorCode)[ErrorCodeName];

const names = new Map<number, ErrorCodeName>(
  Object.entries(ErrorCode).map(([name, code]) => [code, name as ErrorCodeName]),
);

export function errorCodeName(code: number): ErrorCodeName | undefined {
  return names.get(code);
}

/** Details carried in `error.data`: the offending field, the database's own code, etc. */
export type ErrorData = Record<string, unknown>;

/** The one error type that crosses the wire. `code` is the protocol's numeric code. */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly code: ErrorCodeNumber;
  readonly data: ErrorData | undefined;

  constructor(code: ErrorCodeName, message: string, data?: ErrorData, options?: { cause?: unknown }) {
    super(message, options);
    this.code = ErrorCode[code];
    this.data = data;
  }

  get codeName(): ErrorCodeName {
    return errorCodeName(this.code) ?? 'INTERNAL_ERROR';
  }

  is(code: ErrorCodeName): boolean {
    return this.code === ErrorCode[code];
  }

  toJSON(): { code: number; message: string; data?: ErrorData } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }

  /** Rebuild an error received from the wire. Unknown codes become INTERNAL_ERROR. */
  static fromWire(error: { code: number; message: string; data?: unknown }): RpcError {
    const name = errorCodeName(error.code) ?? 'INTERNAL_ERROR';
    const data = isRecord(error.data) ? error.data : error.data === undefined ? undefined : { value: error.data };
    return new RpcError(name, error.message, data);
  }

  /** Anything thrown becomes an RpcError; non-protocol errors are INTERNAL_ERROR. */
  static from(error: unknown): RpcError {
    if (error instanceof RpcError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new RpcError('INTERNAL_ERROR', message, undefined, { cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
