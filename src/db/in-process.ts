import { PostgresDriver } from '../driver/postgres/postgres-driver.ts';
import { DriverService } from '../driver/process/driver-service.ts';
import type { ClientHello } from '../ipc/rpc-client.ts';
import { DatabaseClient } from './database-client.ts';
import { InProcessTransport } from './in-process-transport.ts';

export interface InProcessOptions {
  /** The PostgreSQL URL. */
  url: string;
  poolSize: number;
  maxQueueSize: number;
  requestTimeoutMs: number;
  transactionTimeoutMs: number;
  version: string;
  pid: number;
}

/** A PostgreSQL driver and its request service living in this process (`database.mode: in_process`). */
export interface InProcessDatabase {
  readonly service: DriverService;
  /** A DatabaseClient on it, with its own connections (transactions are bound to them). */
  client(options?: { poolSize?: number; timeoutMs?: number; hello?: ClientHello }): DatabaseClient;
  /** Drain for up to `drainTimeoutMs`, roll back what is open, close the pool. */
  close(drainTimeoutMs?: number): Promise<void>;
}

export async function openInProcessDatabase(options: InProcessOptions): Promise<InProcessDatabase> {
  // A statement may run as long as a request may wait: the queue's deadline, server-side.
  const driver = await PostgresDriver.open({ url: options.url, poolSize: options.poolSize, statementTimeoutMs: options.requestTimeoutMs });
  const service = await DriverService.open(driver, {
    maxQueueSize: options.maxQueueSize,
    requestTimeoutMs: options.requestTimeoutMs,
    transactionTimeoutMs: options.transactionTimeoutMs,
    version: options.version,
    pid: options.pid,
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
