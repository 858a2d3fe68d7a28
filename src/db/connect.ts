import { RETRYABLE_METHODS } from '../driver/methods.ts';
import { RpcClient, type RpcClientOptions } from '../ipc/rpc-client.ts';
import type { Runtime } from '../runtime/types.ts';
import { DatabaseClient } from './database-client.ts';

/** A DatabaseClient over the driver process's socket. */
export function connectDatabase(runtime: Runtime, options: Omit<RpcClientOptions, 'retryableMethods'>): DatabaseClient {
  const rpc = new RpcClient(runtime, { ...options, retryableMethods: RETRYABLE_METHODS });
  return new DatabaseClient(rpc, rpc);
}
