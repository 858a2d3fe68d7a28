import { RpcError } from '../../ipc/errors.ts';

/** Table, column and index names: plain identifiers only, always quoted in SQL. */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_IDENTIFIER_LENGTH = 63;

export function isIdentifier(name: unknown): name is string {
  return typeof name === 'string' && name.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER_PATTERN.test(name);
}

/** Throw VALIDATION_ERROR naming the field when `name` is not a plain identifier. */
export function assertIdentifier(name: unknown, field: string): string {
  if (!isIdentifier(name)) {
    throw new RpcError(
      'VALIDATION_ERROR',
      `${field}: ${JSON.stringify(name)} is not a valid identifier (letters, digits and _, not starting with a digit, at most ${MAX_IDENTIFIER_LENGTH} characters)`,
      { field, value: typeof name === 'string' ? name : String(name) },
    );
  }
  return name;
}

/** Quote an identifier. Names we accept are plain, but names read back from the database
 * (a column made by raw SQL) may hold a quote, which must be doubled. */
export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
