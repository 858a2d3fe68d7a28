import type { Priority } from '../../ipc/messages.ts';
import type { ServerConnection } from '../../ipc/types.ts';
import type { MethodSpec } from '../methods.ts';
import type { Execution } from '../types.ts';
import type { Session } from './sessions.ts';
import type { Lease } from './transaction-leases.ts';

/** An admitted request waiting in the queue or running: everything admission learnt of it. */
export interface Job {
  method: string;
  /** Looked up once, on arrival. */
  spec: MethodSpec;
  /** Validated once, on arrival. */
  params: Record<string, unknown>;
  connection: ServerConnection;
  session: Session;
  /** The transaction it belongs to, if any. */
  lease: Lease | null;
  priority: Priority;
  execution: Execution;
  /** `read`: outside transactions, only reads (may run beside writes); `write`: everything else. */
  lane: 'read' | 'write';
  resolve(result: unknown): void;
  reject(error: unknown): void;
}
