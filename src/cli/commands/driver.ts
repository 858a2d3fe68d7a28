import { defineCommand } from 'citty';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { isPostgresUrl, runDriverProcess } from '../../driver/process/driver-process.ts';
import { formatChildEvent } from '../../ipc/child-events.ts';
import { waitForShutdownSignal } from '../../runtime/shutdown-signal.ts';
import { VERSION } from '../../version.ts';
import { IntegerFlag, parseFlags } from '../args.ts';
import type { CliContext } from '../context.ts';
import { createLogger } from '../../runtime/logger.ts';

const DriverFlags = v.object({
  database: v.pipe(v.string(), v.minLength(1, 'a database path is required')),
  socket: v.pipe(v.string(), v.minLength(1, 'a socket path is required')),
  pid_file: v.optional(v.string()),
  backup_dir: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  synchronous: v.optional(v.picklist(['off', 'normal', 'full', 'extra'], 'must be off, normal, full or extra')),
  busy_timeout_ms: v.optional(IntegerFlag(0)),
  pool_size: v.optional(IntegerFlag(1)),
  read_threads: v.optional(IntegerFlag(1)),
  pgvector: v.optional(v.picklist(['auto', 'off'], 'must be auto or off')),
  max_pending_per_connection: v.optional(IntegerFlag(1)),
  max_unsent_bytes: v.optional(IntegerFlag(1024)),
  frame_timeout_ms: v.optional(IntegerFlag(1)),
  supervisor_pid: v.optional(IntegerFlag(1)),
  max_queue: v.optional(IntegerFlag(1)),
  request_timeout_ms: v.optional(IntegerFlag(1)),
  transaction_timeout_ms: v.optional(IntegerFlag(1)),
  drain_timeout_ms: v.optional(IntegerFlag(0)),
  group_commit: v.boolean(),
  log_format: v.optional(v.picklist(['text', 'json'], 'must be text or json')),
  log_level: v.optional(v.picklist(['silent', 'error', 'warn', 'info', 'debug'])),
});

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'driver', description: 'Run one database driver process in the foreground (what serve spawns)' },
    args: {
      database: { type: 'string', description: 'SQLite database file, or a postgres:// URL', required: true },
      socket: { type: 'string', description: 'Unix socket to serve on', required: true },
      'pid-file': { type: 'string', description: 'PID file (default: the socket path with .pid)' },
      'backup-dir': { type: 'string', description: 'Where the backup method writes (default: backups/ beside the database)' },
      synchronous: { type: 'string', description: 'SQLite synchronous: off|normal|full|extra (default full)' },
      'busy-timeout-ms': { type: 'string', description: 'SQLite busy_timeout (default 5000)' },
      'pool-size': { type: 'string', description: 'PostgreSQL: pooled connections, requests run at once (default 10)' },
      'read-threads': { type: 'string', description: 'SQLite: reader threads, reads run on that many at once beside the writer (default 2)' },
      pgvector: { type: 'string', description: 'PostgreSQL: auto (vector_search through pgvector where CREATE EXTENSION vector succeeds) or off (default auto)' },
      'max-pending-per-connection': { type: 'string', description: 'Unanswered requests per connection before it is no longer read (default 1024)' },
      'max-unsent-bytes': { type: 'string', description: 'Unread answer bytes per connection before it is no longer read (default 8388608)' },
      'frame-timeout-ms': { type: 'string', description: 'How long a request frame may take to arrive whole (default 10000)' },
      'supervisor-pid': { type: 'string', description: 'Shut down when this process (the supervisor) is gone' },
      'max-queue': { type: 'string', description: 'Most requests waiting at once (default 10000)' },
      'request-timeout-ms': { type: 'string', description: 'Default queue deadline of a request (default 30000)' },
      'transaction-timeout-ms': { type: 'string', description: 'Default idle limit of a transaction (default 60000)' },
      'drain-timeout-ms': { type: 'string', description: 'How long SIGTERM waits for queued work (default 10000)' },
      'group-commit': { type: 'boolean', default: true, description: 'Group queued autocommit writes into one commit' },
      'log-format': { type: 'string', description: 'text|json (default text)' },
      'log-level': { type: 'string', description: 'silent|error|warn|info|debug (default info)' },
    },
    async run({ args }) {
      const flags = parseFlags(DriverFlags, {
        database: args.database,
        socket: args.socket,
        pid_file: args['pid-file'],
        backup_dir: args['backup-dir'],
        synchronous: args.synchronous,
        busy_timeout_ms: args['busy-timeout-ms'],
        pool_size: args['pool-size'],
        read_threads: args['read-threads'],
        pgvector: args.pgvector,
        max_pending_per_connection: args['max-pending-per-connection'],
        max_unsent_bytes: args['max-unsent-bytes'],
        frame_timeout_ms: args['frame-timeout-ms'],
        supervisor_pid: args['supervisor-pid'],
        max_queue: args['max-queue'],
        request_timeout_ms: args['request-timeout-ms'],
        transaction_timeout_ms: args['transaction-timeout-ms'],
        drain_timeout_ms: args['drain-timeout-ms'],
        group_commit: args['group-commit'],
        log_format: args['log-format'],
        log_level: args['log-level'],
      });
      const { runtime } = context;
      const logger = createLogger(runtime, { format: flags.log_format, level: flags.log_level, tag: 'driver' });
      await runDriverProcess(runtime, logger, {
        database: isPostgresUrl(flags.database) ? flags.database : resolve(runtime.cwd(), flags.database),
        socketPath: resolve(runtime.cwd(), flags.socket),
        pidFile: flags.pid_file === undefined ? undefined : resolve(runtime.cwd(), flags.pid_file),
        backupDir: flags.backup_dir === undefined ? undefined : resolve(runtime.cwd(), flags.backup_dir),
        synchronous: flags.synchronous,
        busyTimeoutMs: flags.busy_timeout_ms,
        poolSize: flags.pool_size,
        readThreads: flags.read_threads,
        pgvector: flags.pgvector,
        maxPendingPerConnection: flags.max_pending_per_connection,
        maxUnsentBytes: flags.max_unsent_bytes,
        frameTimeoutMs: flags.frame_timeout_ms,
        shutdown: waitForShutdownSignal(runtime, flags.supervisor_pid),
        groupCommit: flags.group_commit,
        maxQueueSize: flags.max_queue,
        requestTimeoutMs: flags.request_timeout_ms,
        transactionTimeoutMs: flags.transaction_timeout_ms,
        drainTimeoutMs: flags.drain_timeout_ms,
        version: VERSION,
        // Under a supervisor (JSON logs), say so when the socket serves.
        onReady: flags.log_format === 'json' ? () => runtime.writeStderr(formatChildEvent({ event: 'ready' })) : undefined,
      });
    },
  });
