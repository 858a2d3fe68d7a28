import type { WireError } from '../../ipc/messages.ts';
import type { BackupFiles } from '../types.ts';
import type { ConnectionSettings, CoreCall } from './sqlite-calls.ts';

/**
 * What a SQLite connection thread and the driver say to each other (structured-cloned).
 * The thread opens its connection, answers calls one after another, and asks the driver
 * for the few file operations backups need (only the runtime touches files).
 */

export type FileOperation = keyof BackupFiles;

export type ToThread =
  | { type: 'open'; settings: ConnectionSettings }
  | ({ type: 'call'; id: number } & CoreCall)
  | { type: 'file-result'; id: number; ok: true; value: unknown }
  | { type: 'file-result'; id: number; ok: false; message: string }
  | { type: 'close' };

/** An error as it crosses: the wire form, with the stack of a bug for the log. */
export type ThreadError = WireError & { stack?: string };

export type FromThread =
  /** The thread listens: what the driver posted before is sent now (Deno drops earlier messages). */
  | { type: 'ready' }
  | { type: 'opened'; error?: ThreadError }
  | { type: 'answer'; id: number; ok: true; value: unknown; generation: number }
  | { type: 'answer'; id: number; ok: false; error: ThreadError; generation: number }
  | { type: 'file'; id: number; operation: FileOperation; args: unknown[] }
  | { type: 'closed' };
