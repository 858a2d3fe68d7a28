import type { Context } from 'hono';
import { RpcError } from '../ipc/errors.ts';
import type { RpcCaller } from '../ipc/rpc-client.ts';
import type { SupervisorStatus } from '../supervisor/types.ts';
import { fetchDriverStats } from './driver-stats.ts';

export interface StatusOptions {
  status: () => SupervisorStatus;
  driver: RpcCaller;
  statsTimeoutMs: number;
}

/** `GET /status`: the supervisor's view of its services plus the driver's queue statistics. */
export function statusHandler(options: StatusOptions) {
  return async (c: Context): Promise<Response> => {
    const status = options.status();
    try {
      const stats = await fetchDriverStats(options.driver, options.statsTimeoutMs);
      return c.json({ ...status, queue: stats.queue });
    } catch (error) {
      // The services' own states still say a lot when the driver is down.
      return c.json({ ...status, queue: null, queue_error: RpcError.from(error).message });
    }
  };
}
