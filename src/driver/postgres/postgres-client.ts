import postgres from 'postgres';
import type { PortableType } from '../table-schema.ts';

/**
 * The postgres.js pool as the driver uses it, typed by shape: `unsafe` with bound
 * parameters, and `begin` for transactions (one call's, or a lease's held open).
 */
export interface PgResult extends Array<Record<string, unknown>> {
  count: number | null;
  command: string;
  columns?: Array<{ name: string; type: number }>;
}

/** A query as postgres.js hands it out: a promise of its result that can also be cancelled on the server. */
export interface PgQuery extends Promise<PgResult> {
  cancel(): void;
}

export interface PgQueryable {
  /**
   * postgres.js prepares nothing sent through `unsafe` unless told: the driver's own row
   * statements pass PREPARED; raw SQL passes `prepare: false` (it is not kept).
   */
  unsafe(sql: string, params?: unknown[], options?: { prepare?: boolean }): PgQuery;
}

/** A connection inside a transaction: `savepoint` runs work that is rolled back alone when it fails. */
export interface PgTransaction extends PgQueryable {
  savepoint<T>(work: (sp: PgQueryable) => Promise<T>): Promise<T>;
}

export interface PgPool extends PgQueryable {
  /**
   * Rejects when the connection closes mid-transaction (postgres.js watches it), so a lost
   * transaction is noticed. `options` follow BEGIN (`read only`).
   */
  begin<T>(work: (tx: PgTransaction) => Promise<T>): Promise<T>;
  begin<T>(options: string, work: (tx: PgTransaction) => Promise<T>): Promise<T>;
  end(options?: { timeout?: number }): Promise<void>;
}

/**
 * For the driver's own parameterized statements (a few shapes per table): prepared once per
 * connection and reused. Unprepared, each would cost a second round trip, postgres.js
 * asking the server for its parameter types before running it.
 */
export const PREPARED = { prepare: true } as const;

function parseDate(text: string, zoned: boolean): Date | string {
  // timestamp and date carry no zone: they are UTC, as every timestamp the driver writes.
  const date = new Date(zoned ? text : `${text.replace(' ', 'T')}${text.length > 10 ? 'Z' : 'T00:00:00Z'}`);
  return Number.isNaN(date.getTime()) ? text : date; // infinity, BC dates: the server's text
}

/** Once the server has said what type a parameter is, its value is serialized for that type: values arrive as text already. */
function serializeDate(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/**
 * How values come back: int8 as bigint (the codec turns it into a number or `$bigint`),
 * numeric as an integer or a double, json/jsonb as their text (the codec parses it, so a
 * JSON string stays a string), timestamps as Dates in UTC. Every value sent without a type
 * is bound as text of unknown type, for the server to infer from where it is used, and
 * written as that text whatever type the server then names (a `1` for a boolean stays `1`).
 */
const TYPES = {
  int8: { to: 20, from: [20], serialize: String, parse: (text: string) => BigInt(text) },
  numeric: { to: 1700, from: [1700], serialize: String, parse: (text: string) => (/^-?\d+$/.test(text) ? BigInt(text) : Number(text)) },
  json: { to: 3802, from: [114, 3802], serialize: String, parse: (text: string) => text },
  boolean: { to: 16, from: [16], serialize: (value: unknown) => (value === true ? 't' : value === false ? 'f' : String(value)), parse: (text: string) => text === 't' },
  timestamptz: { to: 1184, from: [1184], serialize: serializeDate, parse: (text: string) => parseDate(text, true) },
  timestamp: { to: 1114, from: [1082, 1114], serialize: serializeDate, parse: (text: string) => parseDate(text, false) },
};

/** The portable type of a result column, from its type OID: how `execute` decodes raw rows. */
export function portableTypeOfOid(oid: number): PortableType | null {
  switch (oid) {
    case 16:
      return 'boolean';
    case 17:
      return 'blob';
    case 114:
    case 3802:
      return 'json';
    case 1082:
    case 1114:
    case 1184:
      return 'timestamp';
    default:
      return null;
  }
}

export interface PoolOptions {
  url: string;
  poolSize: number;
  /** Server-side limit of one statement (statement_timeout); 0 for none. */
  statementTimeoutMs: number;
  connectTimeoutS: number;
}

export function openPool(options: PoolOptions): PgPool {
  const sql = postgres(options.url, {
    max: options.poolSize,
    // Lets a query ask to be prepared (PREPARED); a plan a schema change made stale is
    // prepared again by postgres.js.
    prepare: true,
    connect_timeout: options.connectTimeoutS,
    idle_timeout: 60,
    // Reconnect soon after the server comes back, instead of postgres.js's growing pause.
    backoff: (retries: number) => Math.min(0.05 * retries, 1),
    onnotice: () => undefined,
    types: TYPES,
    connection: { application_name: 'code-analysis', TimeZone: 'UTC', statement_timeout: options.statementTimeoutMs },
  });
  return sql as unknown as PgPool;
}
