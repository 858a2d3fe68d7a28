import { join } from 'node:path';
import { SqliteDriver, type SqliteDriverOptions } from '../../src/driver/sqlite/sqlite-driver.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { deferCleanup } from './cleanup.ts';
import { makeTempDir } from './temp-dir.ts';

export interface OpenedSqliteDriver {
  driver: SqliteDriver;
  dir: string;
  path: string;
  /** Close the driver (once; the cleanup after the test file skips a closed one). */
  close(): Promise<void>;
}

/**
 * A SqliteDriver on a fresh database file in a temp dir, closed after the test file. Its
 * connections run on this thread (so coverage sees them), with the deadline extension.
 */
export async function openSqliteDriver(options: Partial<SqliteDriverOptions> = {}): Promise<OpenedSqliteDriver> {
  const dir = options.path ? '' : await makeTempDir();
  const path = options.path ?? join(dir, 'x.db');
  const driver = await SqliteDriver.open({ library: 'better-sqlite3', files: nodeRuntime.fs, deadlines: nodeRuntime.nativeLibrary('sqlite-deadline'), vectors: nodeRuntime.nativeLibrary('sqlite-vec'), ...options, path });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await driver.close();
  };
  deferCleanup(close);
  return { driver, dir, path, close };
}
