import { RpcError } from '../../ipc/errors.ts';
import type { Runtime } from '../../runtime/types.ts';
import type { BackupFiles, Execution } from '../types.ts';
import type { SqliteLibrary } from './open-engine.ts';
import type { ConnectionSettings } from './sqlite-calls.ts';
import { InlineLane, type SqliteLane, ThreadLane } from './sqlite-lanes.ts';
import type { SynchronousMode } from './sqlite-writer-core.ts';

export interface SqliteDriverOptions {
  path: string;
  library: SqliteLibrary;
  synchronous?: SynchronousMode;
  busyTimeoutMs?: number;
  groupCommit?: boolean;
  /** Where `backup` writes (and `sync_schema` backs up unless told otherwise); without it `backup` is refused. */
  backupDir?: string;
  /** The file operations backups need (the runtime's). */
  files: BackupFiles;
  /** Run each connection on its own thread of this runtime (the driver process); without it, on the calling thread. */
  runtime?: Runtime;
  /** Reader connections (threads): reads run on that many at once beside the writer. */
  readers?: number;
  /** Path of the sqlite-deadline extension; without it no statement may carry a deadline. */
  deadlines?: string;
  /** better-sqlite3's addon file, for the threads of the single executable. */
  nativeBinding?: string;
}

const NO_DEADLINE: Execution = { deadline: 0, owner: false };

/**
 * How long a read may run on the main thread before it is stopped and run again on a reader
 * thread: a point select needs no thread hop, a long read holds the main thread no longer.
 */
const INLINE_READ_MS = 4;
const INLINE_OPERATIONS = new Set(['select', 'execute', 'get_table_info', 'list_tables', 'get_schema_version', 'protected_tables']);


/**
 * The SQLite driver's connections and where each call runs: the writer (every write, every
 * transaction), the readers (reads outside transactions), and with threads a read-only
 * connection on the calling thread tried first for short reads. Keeps the writer's schema
 * generation, so readers read their catalog again when it moved; opens a thread again when
 * one ended.
 */
export class SqliteConnections {
  private generation = 0;

  private constructor(
    private writer: SqliteLane,
    private readonly readers: SqliteLane[],
    private readonly inline: SqliteLane | null,
    private readonly options: SqliteDriverOptions,
  ) {}

  static async open(options: SqliteDriverOptions): Promise<SqliteConnections> {
    // The writer first: it puts the database in WAL mode, which the readers rely on.
    const writer = await SqliteConnections.lane(options, 'writer');
    const readers: SqliteLane[] = [];
    let inline: SqliteLane | null = null;
    try {
      for (let i = 0; i < Math.max(1, Math.floor(options.readers ?? 2)); i++) readers.push(await SqliteConnections.lane(options, 'reader'));
      // On this thread the loaded addon is used (a path would need require(), which the executable lacks).
      if (options.runtime) inline = await InlineLane.open({ ...settingsOf(options, 'reader'), nativeBinding: undefined }, options.files);
    } catch (error) {
      await Promise.all([writer, ...readers].map((lane) => lane.close()));
      throw error;
    }
    return new SqliteConnections(writer, readers, inline, options);
  }

  private static lane(options: SqliteDriverOptions, role: ConnectionSettings['role']): Promise<SqliteLane> {
    const settings = settingsOf(options, role);
    return options.runtime ? ThreadLane.open(options.runtime, settings, options.files) : InlineLane.open(settings, options.files);
  }

  get readerCount(): number {
    return this.readers.length;
  }

  async onWriter<T>(op: string, args: unknown, execution: Execution = NO_DEADLINE): Promise<T> {
    if (!this.writer.alive) this.writer = await SqliteConnections.lane(this.options, 'writer');
    const answer = await this.writer.call({ op, args, deadline: execution.deadline }).catch((error: unknown) => {
      this.generation++;
      throw error;
    });
    this.generation = Math.max(this.generation, answer.generation);
    return answer.value as T;
  }

  /**
   * On this thread first when it is a short read (INLINE_READ_MS), else (or when it ran
   * longer) on the least busy reader thread: the scheduler runs at most one call per reader
   * at a time.
   */
  async onReader<T>(op: string, args: unknown, execution: Execution = NO_DEADLINE): Promise<T> {
    if (this.inline && INLINE_OPERATIONS.has(op)) {
      const budget = Date.now() + INLINE_READ_MS;
      const deadline = execution.deadline > 0 ? Math.min(execution.deadline, budget) : budget;
      try {
        return (await this.inline.call({ op, args, deadline, generation: this.generation })).value as T;
      } catch (error) {
        // Stopped by its time here, not by its own deadline: it goes on a reader thread.
        const ownDeadlinePassed = execution.deadline > 0 && Date.now() >= execution.deadline;
        if (!(error instanceof RpcError && error.is('TIMEOUT')) || ownDeadlinePassed) throw error;
      }
    }
    let index = 0;
    for (let i = 1; i < this.readers.length; i++) if (this.readers[i]!.load < this.readers[index]!.load) index = i;
    if (!this.readers[index]!.alive) this.readers[index] = await SqliteConnections.lane(this.options, 'reader');
    const answer = await this.readers[index]!.call({ op, args, deadline: execution.deadline, generation: this.generation });
    return answer.value as T;
  }

  /** The readers first, then the writer: it rolls back what is open and checkpoints the WAL. */
  async close(): Promise<void> {
    await this.inline?.close();
    await Promise.all(this.readers.map((lane) => lane.close()));
    await this.writer.close();
  }
}

function settingsOf(options: SqliteDriverOptions, role: ConnectionSettings['role']): ConnectionSettings {
  return {
    role,
    path: options.path,
    library: options.library,
    synchronous: options.synchronous,
    busyTimeoutMs: options.busyTimeoutMs,
    backupDir: options.backupDir,
    deadlines: options.deadlines,
    nativeBinding: options.nativeBinding,
  };
}
