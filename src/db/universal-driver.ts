import { CODE_SCHEMA } from '../analysis/schema.ts';
import { runPaths } from '../config/run-paths.ts';
import type { Config } from '../config/schema.ts';
import type { SyncReport } from '../driver/types.ts';
import type { Runtime } from '../runtime/types.ts';
import { CodeDatabase } from './code-database.ts';
import { codeDialect, setupSearch } from './code-dialect.ts';
import { connectDatabase } from './connect.ts';
import type { DatabaseClient } from './database-client.ts';

export interface OpenedDatabase {
  db: DatabaseClient;
  code: CodeDatabase;
  sync: SyncReport;
}

/**
 * The one way into the configured database: connects (the driver process's socket),
 * checks that it answers, brings the code-analysis schema up to date (a backup goes to
 * <data_dir>/backups before any destructive change) and hands out the CodeDatabase.
 */
export class UniversalDriver {
  constructor(
    private readonly runtime: Runtime,
    private readonly config: Config,
  ) {}

  connect(options: { poolSize?: number } = {}): DatabaseClient {
    const paths = runPaths(this.config);
    return connectDatabase(this.runtime, { socketPath: paths.socket, poolSize: options.poolSize, timeoutMs: this.config.queue.timeout_ms });
  }

  /** Sync the schema on `db` and return the domain API over it. */
  async open(db: DatabaseClient): Promise<OpenedDatabase> {
    const { driver } = await db.ping();
    const sync = await db.syncSchema(CODE_SCHEMA, { backup_dir: runPaths(this.config).backupsDir });
    await setupSearch(db, codeDialect(driver));
    return { db, code: await CodeDatabase.open(db), sync };
  }
}
