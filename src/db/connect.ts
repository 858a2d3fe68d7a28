import { RETRYABLE_METHODS } from '../driver/methods.ts';
import { RpcClient, type RpcClientOptions } from '../ipc/rpc-client.ts';
import type { Runtime } from '../runtime/types.ts';
import { DatabaseClient } from './database-client.ts';

/**
 * A DatabaseClient over the driver process's socket. `hello: {client, role: "owner"}` makes
 * its connections the server's own (workers, the schema sync, the index): they may change
 * protected tables. Anything that forwards other people's requests (HTTP `/rpc`) connects
 * without it.
 */
export function connectDatabase(runtime: Runtime, options: Omit<RpcClientOptions, 'retryableMethods'>): DatabaseClient {
  const rpc = new RpcClient(runtime, { ...options, retryableMethods: RETRYABLE_METHODS });
  return new DatabaseClient(rpc, rpc);
}
