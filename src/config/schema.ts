import * as v from 'valibot';

/**
 * The configuration schema (DESIGN §8): the single source of truth for the config file,
 * the embedded default (config/default.json) and the effective config handed to every
 * process. Every field is required here; the embedded default supplies what a file,
 * the environment or the flags leave out.
 */

const Integer = (min: number) => v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(min, `must be at least ${min}`));
const Milliseconds = Integer(1);
const Path = v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'));

export const DATABASE_TYPES = ['sqlite', 'postgres'] as const;
export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

export const DatabaseConfigSchema = v.strictObject({
  type: v.picklist(DATABASE_TYPES, 'must be sqlite or postgres'),
  /** SQLite file; relative to data_dir. */
  path: Path,
  /** PostgreSQL connection URL (postgres://…); required when type is postgres. */
  url: v.nullable(v.pipe(v.string('must be a string or null'), v.regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://'))),
  mode: v.picklist(['process', 'in_process'], 'must be process or in_process'),
  synchronous: v.picklist(['off', 'normal', 'full', 'extra'], 'must be off, normal, full or extra'),
  pool_size: Integer(1),
  busy_timeout_ms: Integer(0),
  /** SQLite: reader threads; reads outside transactions run on that many at once, beside the writer. */
  read_threads: Integer(1),
  /** PostgreSQL: vector_search through pgvector where CREATE EXTENSION vector succeeds (auto), or always the exact scan (off). */
  pgvector: v.picklist(['auto', 'off'], 'must be auto or off'),
});

export const QueueConfigSchema = v.strictObject({
  max_size: Integer(1),
  /** Queue deadline of a request that sets none of its own. */
  timeout_ms: Milliseconds,
  group_commit: v.boolean('must be true or false'),
  /** A waiting request moves up one priority rank per aging_ms. */
  aging_ms: Milliseconds,
  /** Idle limit of a transaction that sets none of its own: it is rolled back after it. */
  transaction_timeout_ms: Milliseconds,
  /** Requests one connection may have unanswered; the driver reads no more from it until it is below. */
  max_pending_per_connection: Integer(1),
  /** Bytes of answers one connection may leave unread; the driver reads no more from it until it reads them. */
  max_unsent_bytes_per_connection: Integer(1024),
  /** A request frame must arrive whole within this long of its first byte, or the connection is closed. */
  frame_timeout_ms: Milliseconds,
});

const Token = v.nullable(v.pipe(v.string('must be a string or null'), v.minLength(16, 'must be at least 16 characters')));

/** A name a client may use to reach the server: a DNS name or an IP address, without scheme or port. */
const HostName = v.pipe(
  v.string('must be a string'),
  v.regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/, 'must be a host name or IP address, without scheme or port'),
);

/** What POST /rpc may do (README, Security): nothing, reads only, or everything the driver allows. */
export const RPC_ACCESS = ['off', 'read', 'write'] as const;
export type RpcAccess = (typeof RPC_ACCESS)[number];

export const ServerConfigSchema = v.strictObject({
  host: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty')),
  /** 0 picks a free port (printed at start). */
  port: v.pipe(Integer(0), v.maxValue(65535, 'must be at most 65535')),
  /** Bearer token every route but /health requires; it gives what `rpc` allows. */
  auth_token: Token,
  /** A second token, read-only: the code routes, /status, /metrics, /mcp and reads over /rpc. */
  read_token: Token,
  /** What POST /rpc may do. */
  rpc: v.picklist(RPC_ACCESS, 'must be off, read or write'),
  /** Host names (besides the loopback ones and `host`) accepted in the Host and Origin headers. */
  allowed_hosts: v.array(HostName, 'must be an array of host names'),
});

export const IndexerConfigSchema = v.strictObject({
  enabled: v.boolean('must be true or false'),
  /** Directories to index; relative ones resolve against the config file's folder. */
  watch_dirs: v.array(Path, 'must be an array of paths'),
  scan_interval_ms: Milliseconds,
});

export const MaintenanceConfigSchema = v.strictObject({
  enabled: v.boolean('must be true or false'),
  /** Online backup of the SQLite database into <data_dir>/backups/. */
  backup_interval_ms: Milliseconds,
  /** Newest backups kept; older ones are deleted. */
  backup_keep: Integer(1),
  optimize_interval_ms: Milliseconds,
  checkpoint_interval_ms: Milliseconds,
});

export const VectorizerConfigSchema = v.strictObject({
  enabled: v.boolean('must be true or false'),
  /** How soon to look again for definitions to embed once every project is done (or after a provider failure). */
  interval_ms: Milliseconds,
  /** Definitions embedded and stored per step. */
  batch_size: v.pipe(Integer(1), v.maxValue(10_000, 'must be at most 10000')),
});

export const SupervisorConfigSchema = v.strictObject({
  health_interval_ms: Milliseconds,
  ping_timeout_ms: Milliseconds,
  /** A driver that misses this many health pings in a row is hung and gets restarted. */
  max_missed_pings: Integer(1),
  /** How long a service may take to become ready. */
  start_timeout_ms: Milliseconds,
  /** How long a service may take to stop after SIGTERM before it gets SIGKILL. */
  stop_timeout_ms: Milliseconds,
  /** More restarts than this within restart_window_ms marks the service failed. */
  max_restarts: Integer(0),
  restart_window_ms: Milliseconds,
});

export const EMBEDDING_PROVIDERS = ['builtin', 'http', 'onnx'] as const;

const NullableText = v.nullable(v.pipe(v.string('must be a string or null'), v.minLength(1, 'must not be empty')));
/**
 * Semantic search (README "Semantic search"): which provider embeds symbols and questions,
 * and each one's settings (what the chosen one needs set is checked in validate.ts).
 */
export const EmbeddingsConfigSchema = v.strictObject({
  provider: v.picklist(EMBEDDING_PROVIDERS, 'must be builtin, http or onnx'),
  /** Latent semantic indexing learnt from the indexed code: no weights, no network. */
  builtin: v.strictObject({ dimensions: v.pipe(Integer(8), v.maxValue(1024, 'must be at most 1024')) }),
  /** An OpenAI-compatible `/v1/embeddings` endpoint. */
  http: v.strictObject({
    url: v.nullable(v.pipe(v.string('must be a string or null'), v.regex(/^https?:\/\/./, 'must start with http:// or https://'))),
    model: NullableText,
    api_key: NullableText,
    batch_size: Integer(1),
    timeout_ms: Milliseconds,
    retries: Integer(0),
    retry_delay_ms: Milliseconds,
    breaker_failures: Integer(1),
    breaker_open_ms: Milliseconds,
  }),
  /** A model directory (model.onnx + tokenizer.json) run in process; relative to the config file's folder. */
  onnx: v.strictObject({
    model_dir: v.nullable(Path),
    max_tokens: v.pipe(Integer(2), v.maxValue(8192, 'must be at most 8192')),
    batch_size: Integer(1),
  }),
});

export const ConfigSchema = v.strictObject({
  /** Relative: against the config file's folder (the working directory for the embedded default). */
  data_dir: Path,
  database: DatabaseConfigSchema,
  queue: QueueConfigSchema,
  server: ServerConfigSchema,
  workers: v.strictObject({ indexer: IndexerConfigSchema, maintenance: MaintenanceConfigSchema, vectorizer: VectorizerConfigSchema }),
  supervisor: SupervisorConfigSchema,
  embeddings: EmbeddingsConfigSchema,
  log: v.strictObject({ level: v.picklist(LOG_LEVELS, 'must be silent, error, warn, info or debug') }),
});

/** The effective configuration: validated, with every path absolute, frozen. */
export type Config = v.InferOutput<typeof ConfigSchema>;
export type DatabaseConfig = Config['database'];
export type SupervisorConfig = Config['supervisor'];
export type MaintenanceConfig = Config['workers']['maintenance'];
export type VectorizerConfig = Config['workers']['vectorizer'];
export type EmbeddingsConfig = Config['embeddings'];
