import type { Runtime } from '../runtime/types.ts';

/** What every command gets from the entry point. */
export interface CliContext {
  runtime: Runtime;
  /** Set by a command that failed after reporting why (citty drops subcommand results). */
  exitCode: number;
}

/** A usage or configuration error: the message names the bad argument; exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
