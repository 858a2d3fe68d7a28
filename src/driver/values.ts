import { RpcError } from '../ipc/errors.ts';
import { MAX_NESTING_DEPTH, pathTooDeep } from '../ipc/nesting.ts';
import type { PortableType } from './table-schema.ts';

/**
 * Values on the wire are plain JSON. Types JSON cannot carry get one encoding, the same
 * for every database (DESIGN §4):
 *   - integers beyond ±(2^53−1): `{"$bigint": "12345678901234567890"}`
 *   - blobs: `{"$blob": "<base64>"}`
 *   - timestamps: ISO 8601 strings in UTC, `"2024-05-01T12:00:00.000Z"`
 *   - booleans: `true` / `false`; json columns: the JSON value itself.
 */

/** A column as the value codec needs to know it. */
export interface ColumnInfo {
  name: string;
  /** Portable type, or null when the declared type maps to none (accept any scalar). */
  type: PortableType | null;
  declaredType: string;
  notNull: boolean;
  primaryKey: boolean;
  defaultValue: string | null;
}

/** How a database wants values bound. */
export interface BindStyle {
  booleans: 'integer' | 'native';
}

const BIGINT_PATTERN = /^-?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Made once: every integer read back is compared with them. */
const MIN_SAFE_BIGINT = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

function invalid(field: string, expected: string, value: unknown): RpcError {
  return new RpcError('VALIDATION_ERROR', `${field}: expected ${expected}, got ${describe(value)}`, { field, expected });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `a string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function isTagged(value: unknown, tag: '$bigint' | '$blob'): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === tag;
}

function decodeBigint(value: Record<string, string>, field: string): bigint {
  const digits = value.$bigint;
  if (typeof digits !== 'string' || !BIGINT_PATTERN.test(digits)) throw invalid(field, '{"$bigint": "<decimal digits>"}', value);
  const number = BigInt(digits);
  if (number < INT64_MIN || number > INT64_MAX) throw invalid(field, 'a 64-bit integer', value);
  return number;
}

function decodeBlob(value: Record<string, string>, field: string): Uint8Array {
  const data = value.$blob;
  if (typeof data !== 'string' || !BASE64_PATTERN.test(data) || data.length % 4 !== 0) {
    throw invalid(field, '{"$blob": "<base64>"}', value);
  }
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeBlob(bytes: Uint8Array): { $blob: string } {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return { $blob: btoa(binary) };
}

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parse an ISO 8601 timestamp (date, or date and time, optional zone; no zone means UTC,
 * SQLite's own format). Anything else, or an impossible date like 2023-02-30, is undefined.
 */
export function parseTimestamp(text: string): Date | undefined {
  const match = ISO_TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match;
  const fields = [Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)] as const;
  const local = Date.UTC(...fields, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const check = new Date(local);
  const exact =
    check.getUTCFullYear() === fields[0] &&
    check.getUTCMonth() === fields[1] &&
    check.getUTCDate() === fields[2] &&
    check.getUTCHours() === fields[3] &&
    check.getUTCMinutes() === fields[4] &&
    check.getUTCSeconds() === fields[5];
  if (!exact) return undefined;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return new Date(local - offsetMinutes * 60_000);
}

/** A scalar with no declared column type (raw `execute` params, untyped columns). */
export function untypedToDatabase(value: unknown, field: string, style: BindStyle): unknown {
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(field, 'a finite number', value);
    return value;
  }
  if (typeof value === 'boolean') return style.booleans === 'integer' ? (value ? 1 : 0) : value;
  if (isTagged(value, '$bigint')) return decodeBigint(value, field);
  if (isTagged(value, '$blob')) return decodeBlob(value, field);
  throw invalid(field, 'a string, number, boolean, null, {"$bigint"} or {"$blob"}', value);
}

/** Check a wire value against its column's type and convert it for binding. */
export function toDatabase(value: unknown, column: ColumnInfo, field: string, style: BindStyle): unknown {
  if (value === null) return null;
  switch (column.type) {
    case null:
      return untypedToDatabase(value, field, style);
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      if (isTagged(value, '$bigint')) return decodeBigint(value, field);
      throw invalid(field, 'an integer', value);
    case 'real':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalid(field, 'a number', value);
    case 'text':
      if (typeof value === 'string') return value;
      throw invalid(field, 'a string', value);
    case 'blob':
      if (isTagged(value, '$blob')) return decodeBlob(value, field);
      throw invalid(field, '{"$blob": "<base64>"}', value);
    case 'boolean':
      if (typeof value === 'boolean') return style.booleans === 'integer' ? (value ? 1 : 0) : value;
      throw invalid(field, 'a boolean', value);
    case 'json':
      try {
        return JSON.stringify(value);
      } catch (error) {
        throw new RpcError('VALIDATION_ERROR', `${field}: cannot be stored as JSON: ${(error as Error).message}`, { field });
      }
    case 'timestamp': {
      const date = typeof value === 'string' ? parseTimestamp(value) : undefined;
      if (date) return date.toISOString();
      throw invalid(field, 'an ISO 8601 timestamp string', value);
    }
  }
}

/** Convert what the database returned into the wire encoding; `column` names it in errors. */
export function fromDatabase(value: unknown, type: PortableType | null, column?: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    if (type === 'boolean') return value !== 0n;
    return value >= MIN_SAFE_BIGINT && value <= MAX_SAFE_BIGINT
      ? Number(value)
      : { $bigint: value.toString() };
  }
  if (value instanceof Uint8Array) return encodeBlob(value);
  if (value instanceof Date) return value.toISOString();
  switch (type) {
    case 'boolean':
      return typeof value === 'number' ? value !== 0 : value;
    case 'json': {
      if (typeof value !== 'string') return value;
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return value;
      }
      // Stored by raw SQL, past the limit `insert` applies: refuse it here rather than
      // fail (or crash) whoever encodes the answer.
      if (pathTooDeep(parsed, MAX_NESTING_DEPTH)) {
        const where = column === undefined ? 'a json value' : `column "${column}"`;
        throw new RpcError('VALIDATION_ERROR', `${where} holds JSON nested deeper than ${MAX_NESTING_DEPTH} levels, too deep to send; read it as text`, {
          ...(column === undefined ? {} : { column }),
          max_depth: MAX_NESTING_DEPTH,
        });
      }
      return parsed;
    }
    case 'timestamp':
      return typeof value === 'string' ? (parseTimestamp(value)?.toISOString() ?? value) : value;
    default:
      return value;
  }
}
