import type { PgvectorMode } from '../driver/postgres/pgvector.ts';
import { PostgresDriver } from '../driver/postgres/postgres-driver.ts';
import { DriverService } from '../driver/process/driver-service.ts';
import type { Config } from '../config/schema.ts';
import type { ClientHello } from '../ipc/types.ts';
import type { Runtime } from '../runtime/types.ts';
import { DatabaseClient } from './database-client.ts';
import { InProcessTransport } from './in-process-transport.ts';

export interface InProcessOptions {
  /** The PostgreSQL URL. */
  url: string;
  poolSize: number;
  pgvector?: PgvectorMode;
  maxQueueSize: number;
  requestTimeoutMs: number;
  transactionTimeoutMs: number;
  version: string;
  pid: number;
  /** The runtime's `defer`: when the request service looks at its queue. */
  defer: (callback: () => void) => void;
}

/** A PostgreSQL driver and its request service living in this process (`database.mode: in_process`). */
export interface InProcessDatabase {
  readonly service: DriverService;
  /** A DatabaseClient on it, with its own connections (transactions are bound to them). */
  client(options?: { poolSize?: number; timeoutMs?: number; hello?: ClientHello }): DatabaseClient;
  /** Drain for up to `drainTimeoutMs`, roll back what is open, close the pool. */
  close(drainTimeoutMs?: number): Promise<void>;
}

/**
 * The in_process database (PostgreSQL) the config describes, with its timeouts from the
 * config: serve, each worker and each one-shot command open theirs this one way.
 */
export function openConfiguredInProcess(runtime: Runtime, config: Config, version: string): Promise<InProcessDatabase> {
  return openInProcessDatabase({
    url: config.database.url ?? '',
    poolSize: config.database.pool_size,
    pgvector: config.database.pgvector,
    maxQueueSize: config.queue.max_size,
    requestTimeoutMs: config.queue.timeout_ms,
    transactionTimeoutMs: config.queue.transaction_timeout_ms,
    version,
    pid: runtime.pid,
    defer: runtime.defer,
  });
}

export async function openInProcessDatabase(options: InProcessOptions): Promise<InProcessDatabase> {
  // A statement may run as long as a request may wait: the queue's deadline, server-side.
  const driver = await PostgresDriver.open({ url: options.url, poolSize: options.poolSize, statementTimeoutMs: options.requestTimeoutMs, pgvector: options.pgvector });
  const service = await DriverService.open(driver, {
    maxQueueSize: options.maxQueueSize,
    requestTimeoutMs: options.requestTimeoutMs,
    transactionTimeoutMs: options.transactionTimeoutMs,
    version: options.version,
    pid: options.pid,
    defer: options.defer,
  });
  const transports: InProcessTransport[] = [];
  return {
    service,
    client(clientOptions = {}) {
      const transport = new InProcessTransport(service, { timeoutMs: options.requestTimeoutMs, ...clientOptions });
      transports.push(transport);
      return new DatabaseClient(transport, transport);
    },
    async close(drainTimeoutMs = 10_000) {
      service.beginShutdown();
      await service.drain(drainTimeoutMs);
      for (const transport of transports) transport.close();
      await service.close();
    },
  };
}
