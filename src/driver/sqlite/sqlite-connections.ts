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
  /** Path of sqlite-vec's extension (vec0), loaded on every connection; without it `vector_search` fails. */
  vectors?: string;
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
 * transaction), the readers (reads outside transactions; started on first need), and with
 * threads a read-only connection on the calling thread tried first for short reads. Keeps
 * the writer's schema generation, so readers read their catalog again when it moved; opens
 * a connection again when its thread ended.
 */
export class SqliteConnections {
  private generation = 0;
  /** Reader threads, started on first need (most reads end on this thread): a slot each. */
  private readonly readers: Array<SqliteLane | undefined>;
  private readonly starting: Array<Promise<SqliteLane> | undefined>;

  private constructor(
    private writer: SqliteLane,
    private readonly inline: SqliteLane | null,
    private readonly options: SqliteDriverOptions,
  ) {
    const count = Math.max(1, Math.floor(options.readers ?? 2));
    this.readers = new Array<SqliteLane | undefined>(count).fill(undefined);
    this.starting = new Array<Promise<SqliteLane> | undefined>(count).fill(undefined);
  }

  static async open(options: SqliteDriverOptions): Promise<SqliteConnections> {
    // The writer first: it puts the database in WAL mode, which every reader relies on.
    const writer = await SqliteConnections.lane(options, 'writer');
    let inline: SqliteLane | null = null;
    try {
      // On this thread the loaded addon is used (a path would need require(), which the executable lacks).
      if (options.runtime) inline = await InlineLane.open({ ...settingsOf(options, 'reader'), nativeBinding: undefined }, options.files);
    } catch (error) {
      await writer.close();
      throw error;
    }
    return new SqliteConnections(writer, inline, options);
  }

  private static lane(options: SqliteDriverOptions, role: ConnectionSettings['role']): Promise<SqliteLane> {
    const settings = settingsOf(options, role);
    return options.runtime ? ThreadLane.open(options.runtime, settings, options.files) : InlineLane.open(settings, options.files);
  }

  get readerCount(): number {
    return this.readers.length;
  }

  /** An idle reader, starting one when none is idle and a slot is free; else the least busy. */
  private async reader(): Promise<SqliteLane> {
    let best = -1;
    for (let i = 0; i < this.readers.length; i++) {
      const lane = this.readers[i];
      if (lane?.alive && lane.load === 0) return lane;
      if (lane?.alive && (best < 0 || lane.load < this.readers[best]!.load)) best = i;
    }
    const free = this.readers.findIndex((lane, i) => !lane?.alive && !this.starting[i]);
    if (free < 0 && best >= 0) return this.readers[best]!;
    const slot = free >= 0 ? free : this.starting.findIndex((promise) => promise !== undefined);
    this.starting[slot] ??= SqliteConnections.lane(this.options, 'reader').then(
      (lane) => {
        this.readers[slot] = lane;
        this.starting[slot] = undefined;
        return lane;
      },
      (error: unknown) => {
        this.starting[slot] = undefined;
        throw error;
      },
    );
    return this.starting[slot]!;
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
    const reader = await this.reader();
    const answer = await reader.call({ op, args, deadline: execution.deadline, generation: this.generation });
    return answer.value as T;
  }

  /** The readers first, then the writer: it rolls back what is open and checkpoints the WAL. */
  async close(): Promise<void> {
    await this.inline?.close();
    const started = await Promise.allSettled(this.starting.filter((promise) => promise !== undefined));
    const readers = [...this.readers, ...started.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined))];
    await Promise.all([...new Set(readers)].map((lane) => lane?.close()));
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
    vectors: options.vectors,
    nativeBinding: options.nativeBinding,
  };
}
