import { describe } from 'vitest';
import { announcePostgresSkipped, postgresAvailable, requireBinaries } from './postgres.ts';

/** `describe` when PostgreSQL binaries exist; otherwise one loud line and a skipped suite (a failure under CI=true). */
export function describeWithPostgres(name: string, body: () => void): void {
  if (postgresAvailable) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') requireBinaries();
  announcePostgresSkipped();
  describe.skip(name, body);
}
