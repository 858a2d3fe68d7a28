import { RpcError } from '../../ipc/errors.ts';
import { openPool, type PgPool } from './postgres-client.ts';
import { describeUrl, toRpcError } from './postgres-errors.ts';
import { detectPgvector, type PgvectorMode, type PgvectorState } from './pgvector.ts';

export interface PostgresDriverOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** Pooled connections (database.pool_size); also how many requests run at once. */
  poolSize?: number;
  /**
   * Server-side limit of one statement (statement_timeout), in ms; 0 for none. The driver
   * process sets the queue's request timeout: a request never runs longer than it may wait.
   * A statement cut off by it is TIMEOUT.
   */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** `database.pgvector`: `auto` uses pgvector for vector_search where CREATE EXTENSION succeeds; `off` never. */
  pgvector?: PgvectorMode;
}

/** What the driver starts from: the pool, the settings in force, what the server is and has. */
export interface PostgresConnection {
  pool: PgPool;
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  serverVersion: string;
  pgvector: PgvectorState;
  /** A connection of its own, outside the pool, without a statement timeout (long maintenance such as an index build). */
  openSpare(): PgPool;
}

/** Open the pool and check the server answers; CONNECTION_ERROR naming host:port/database when it does not. */
export async function connectPostgres(options: PostgresDriverOptions): Promise<PostgresConnection> {
  const poolSize = Math.max(1, Math.floor(options.poolSize ?? 10));
  const connectTimeoutS = Math.max(1, Math.ceil((options.connectTimeoutMs ?? 10_000) / 1000));
  const statementTimeoutMs = Math.max(0, Math.floor(options.statementTimeoutMs ?? 0));
  const pool = openPool({ url: options.url, poolSize, statementTimeoutMs, connectTimeoutS });
  try {
    const [row] = await pool.unsafe('SHOW server_version');
    return {
      pool,
      url: options.url,
      poolSize,
      statementTimeoutMs,
      serverVersion: String(row?.server_version),
      pgvector: await detectPgvector(pool, options.pgvector ?? 'auto'),
      openSpare: () => openPool({ url: options.url, poolSize: 1, statementTimeoutMs: 0, connectTimeoutS }),
    };
  } catch (error) {
    await pool.end({ timeout: 0 }).catch(() => undefined);
    const cause = toRpcError(error);
    throw new RpcError('CONNECTION_ERROR', `cannot connect to PostgreSQL at ${describeUrl(options.url)}: ${cause.message}`, cause.data, { cause: error });
  }
}
