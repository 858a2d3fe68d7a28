import type { Context } from 'hono';
import { RpcError } from '../ipc/errors.ts';
import type { RpcCaller } from '../ipc/rpc-client.ts';
import type { SupervisorStatus } from '../supervisor/types.ts';

export interface HealthOptions {
  status: () => SupervisorStatus;
  driver: RpcCaller;
  version: string;
  pingTimeoutMs: number;
}

/**
 * `GET /health`: 200 when the driver answers ping in time; 503 when the supervisor gave up
 * on it (`failed`, with its last error) or it does not answer.
 */
export function healthHandler(options: HealthOptions) {
  return async (c: Context): Promise<Response> => {
    const { version } = options;
    const driver = options.status().services.find((service) => service.kind === 'driver');
    if (driver?.state === 'failed') {
      return c.json({ status: 'failed', version, reason: driver.last_error ?? 'the driver service failed' }, 503);
    }
    try {
      // Readiness: the driver answers and so does its database (PostgreSQL may be down on its own).
      const pong = await options.driver.call('ping', { database: true }, { timeoutMs: options.pingTimeoutMs });
      return c.json({ status: 'ok', version, driver: pong }, 200);
    } catch (error) {
      return c.json({ status: 'unavailable', version, reason: RpcError.from(error).message }, 503);
    }
  };
}
