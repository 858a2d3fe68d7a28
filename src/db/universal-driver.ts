import { runPaths } from '../config/run-paths.ts';
import type { Config } from '../config/schema.ts';
import type { ClientHello } from '../ipc/types.ts';
import type { Runtime } from '../runtime/types.ts';
import { VERSION } from '../version.ts';
import { type OpenedCodeIndex, openCodeIndex } from './code-index.ts';
import { connectDatabase } from './connect.ts';
import type { DatabaseClient } from './database-client.ts';

export interface OpenedDatabase extends OpenedCodeIndex {
  db: DatabaseClient;
}

export interface Connection {
  db: DatabaseClient;
  /** Close the client (and, in_process, drain and close the database it owns). */
  close(): Promise<void>;
}

/**
 * The one way into the configured database: the driver process's socket, or PostgreSQL
 * in this process (`database.mode: in_process`); checks that it answers, brings the
 * code-analysis schema up to date (a backup goes to <data_dir>/backups before any
 * destructive change) and hands out the CodeDatabase.
 */
export class UniversalDriver {
  constructor(
    private readonly runtime: Runtime,
    private readonly config: Config,
  ) {}

  get inProcess(): boolean {
    return this.config.database.mode === 'in_process';
  }

  /**
   * A client of the configured database; `socketPath` overrides the data dir's driver
   * socket. `hello` is said on each of its connections: `{client, role: "owner"}` for the
   * server's own processes (workers, one-shot commands), which may change protected tables.
   */
  async connect(options: { poolSize?: number; socketPath?: string; hello?: ClientHello } = {}): Promise<Connection> {
    const { config, runtime } = this;
    if (!this.inProcess) {
      const socketPath = options.socketPath ?? runPaths(config).socket;
      const db = connectDatabase(runtime, { socketPath, poolSize: options.poolSize, timeoutMs: config.queue.timeout_ms, hello: options.hello });
      return { db, close: async () => db.close() };
    }
    // Loaded only in this mode: postgres.js and node:tls cost every one-shot command's start.
    const { openConfiguredInProcess } = await import('./in-process.ts');
    const database = await openConfiguredInProcess(runtime, config, VERSION);
    return { db: database.client({ poolSize: options.poolSize, hello: options.hello }), close: () => database.close(config.supervisor.stop_timeout_ms) };
  }

  /** Bring the code index on `db` up to date and whole (src/db/code-index.ts) and return the domain API over it. */
  async open(db: DatabaseClient): Promise<OpenedDatabase> {
    return { db, ...(await openCodeIndex(db, { backupDir: runPaths(this.config).backupsDir })) };
  }
}
