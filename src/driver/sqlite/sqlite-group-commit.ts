import type { GroupableOperation, Settled } from '../types.ts';
import { deadlineError, remainingMs } from './deadline-errors.ts';
import type { SqliteEngine } from './engine.ts';

export interface GroupOutcome {
  outcomes: Array<Settled<unknown>>;
  /** False when the COMMIT itself failed: then every member failed with its one error. */
  committed: boolean;
}

/**
 * Group commit on the writer: autocommit writes in one transaction, each in a savepoint
 * (a failing member gets its own error, the others go on) and each armed with its own
 * deadline. When a member takes the whole transaction with it (SQLite rolls it back when
 * it stops a write at its deadline, or on a full disk), that member fails and the group
 * runs again without it: nothing of it was committed or answered yet. Nobody is answered
 * before the COMMIT is durable.
 */
export function runGroup(engine: SqliteEngine, run: (operation: GroupableOperation) => unknown, operations: GroupableOperation[], deadlines: number[]): GroupOutcome {
  const outcomes = new Array<Settled<unknown> | undefined>(operations.length);
  for (;;) {
    const round = new Map<number, Settled<unknown>>();
    let lost = false;
    engine.exec('BEGIN IMMEDIATE');
    try {
      for (const [i, operation] of operations.entries()) {
        if (outcomes[i] !== undefined) continue;
        engine.setDeadline(remainingMs(deadlines[i] ?? 0));
        engine.exec('SAVEPOINT group_member');
        try {
          round.set(i, { ok: true, value: run(operation) });
          engine.exec('RELEASE group_member');
        } catch (error) {
          const failure = { ok: false as const, error: deadlineError(error, operation.method) };
          if (!engine.inTransaction) {
            outcomes[i] = failure;
            lost = true;
            break;
          }
          engine.exec('ROLLBACK TO group_member; RELEASE group_member');
          round.set(i, failure);
        }
      }
      engine.setDeadline(0);
      if (!lost) engine.exec('COMMIT');
    } catch (error) {
      engine.setDeadline(0);
      if (engine.inTransaction) engine.exec('ROLLBACK');
      return { outcomes: operations.map(() => ({ ok: false, error })), committed: false };
    }
    if (lost) continue;
    for (const [i, outcome] of round) outcomes[i] = outcome;
    return { outcomes: outcomes as Array<Settled<unknown>>, committed: true };
  }
}
