import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import os from 'node:os';

/** Where the figures were taken: they mean little without the machine and its load. */
export function describeMachine() {
  const cpus = os.cpus();
  const db = new Database(':memory:');
  const sqliteVersion = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  db.close();
  const betterSqlite3 = createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string };
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    os_release: os.release(),
    cpus: cpus.length,
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    total_memory_gb: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    better_sqlite3: betterSqlite3.version,
    sqlite: sqliteVersion,
  };
}

export function loadAverage(): number[] {
  return os.loadavg().map((load) => Number(load.toFixed(2)));
}
