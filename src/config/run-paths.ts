import { join } from 'node:path';
import type { Config } from './schema.ts';

/** Where a server on this config keeps its run-time files (DESIGN §8). */
export interface RunPaths {
  dataDir: string;
  runDir: string;
  logsDir: string;
  backupsDir: string;
  socket: string;
  servePid: string;
  /** The effective config, written by serve for its children (0600: it may hold the token). */
  effectiveConfig: string;
  /** Where a running serve says how to reach it (pid, HTTP address), for `status`. */
  serveInfo: string;
  pidFile(service: string): string;
  logFile(service: string): string;
}

export function runPaths(config: Pick<Config, 'data_dir'>): RunPaths {
  const dataDir = config.data_dir;
  const runDir = join(dataDir, 'run');
  const logsDir = join(dataDir, 'logs');
  return {
    dataDir,
    runDir,
    logsDir,
    backupsDir: join(dataDir, 'backups'),
    socket: join(runDir, 'driver.sock'),
    servePid: join(runDir, 'serve.pid'),
    effectiveConfig: join(runDir, 'config.json'),
    serveInfo: join(runDir, 'serve.json'),
    pidFile: (service) => join(runDir, `${service}.pid`),
    logFile: (service) => join(logsDir, `${service}.log`),
  };
}
