import * as v from 'valibot';
import { PrioritySchema } from '../ipc/messages.ts';
import { IDENTIFIER_PATTERN, isIdentifier, MAX_IDENTIFIER_LENGTH } from './sql/identifiers.ts';
import { SchemaDefinitionSchema, TableDefinitionSchema } from './table-schema.ts';
import { MAX_VECTOR_DIMENSION } from './vector-codec.ts';

/**
 * The params of every driver method (DESIGN §4): the single source of their TypeScript
 * types, checked on arrival. Unknown keys are refused so a misspelt parameter is an error,
 * not a silently ignored option.
 */

export const Identifier = v.pipe(
  v.string(),
  v.maxLength(MAX_IDENTIFIER_LENGTH, `must be at most ${MAX_IDENTIFIER_LENGTH} characters`),
  v.regex(IDENTIFIER_PATTERN, 'must be an identifier (letters, digits and _, not starting with a digit)'),
);

/** A column value as sent on the wire; its type is checked against the column (values.ts). */
const Value = v.unknown();
const CheckedRow = v.record(Identifier, Value);
/** The keys valibot's record leaves out of its output: such a row takes the checked path, which does the same. */
const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);
const isPlainRow = (input: unknown): boolean => {
  if (typeof input !== 'object' || input === null || Object.getPrototypeOf(input) !== Object.prototype) return false;
  for (const key in input) if (!isIdentifier(key) || UNSAFE_KEYS.has(key)) return false;
  return true;
};
const PlainRow = v.custom<Record<string, unknown>>(() => true);
/**
 * A row: column names to values. A plain object whose keys are all identifiers passes as it
 * is, with nothing copied (an insert_many carries thousands, and rebuilding each one was most
 * of its validation); any other goes through the record schema, which names the bad key.
 */
const Row = v.lazy((input) => (isPlainRow(input) ? PlainRow : CheckedRow));
const TransactionId = v.optional(v.pipe(v.string(), v.minLength(1)));

/** `{"$bigint": "…"}` and `{"$blob": "…"}`: the encodings of values JSON cannot carry (values.ts). */
const Tagged = v.union([v.strictObject({ $bigint: v.string() }), v.strictObject({ $blob: v.string() })]);
const Scalar = v.union([v.string(), v.number(), v.boolean(), v.null(), Tagged]);
/** An operator's operand may also be a JSON object (compared with a json column). */
const Operand = v.union([Scalar, v.record(v.string(), v.unknown())]);

export const OPERATOR_NAMES = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'like', 'is_null'] as const;
const OperatorSchema = v.strictObject({
  eq: v.optional(Operand),
  ne: v.optional(Operand),
  lt: v.optional(Operand),
  lte: v.optional(Operand),
  gt: v.optional(Operand),
  gte: v.optional(Operand),
  in: v.optional(v.array(Operand)),
  nin: v.optional(v.array(Operand)),
  like: v.optional(v.string()),
  is_null: v.optional(v.boolean()),
});
export type WhereOperators = v.InferOutput<typeof OperatorSchema>;

const isOperatorObject = (input: unknown): boolean =>
  typeof input === 'object' &&
  input !== null &&
  !Array.isArray(input) &&
  Object.keys(input).length > 0 &&
  Object.keys(input).every((key) => (OPERATOR_NAMES as readonly string[]).includes(key));

/**
 * One condition of a `where`: a value (equality; null is IS NULL) or an operator object. An
 * object made only of operator names is read as operators, so a wrong operand is named
 * where it is (`where.age.in`); anything else must be a plain value.
 */
const isScalar = (input: unknown): input is v.InferOutput<typeof Scalar> =>
  input === null || ['string', 'number', 'boolean'].includes(typeof input) || v.is(Tagged, input);
const PlainValue = v.custom<v.InferOutput<typeof Scalar>>(isScalar, `expected a value or an operator object with ${OPERATOR_NAMES.join(' ')}`);
const Condition = v.lazy((input) => (isOperatorObject(input) ? OperatorSchema : PlainValue));

/** `{col: value}` equality, `{col: null}` IS NULL, `{col: {op: value}}`; several keys AND. */
export const WhereSchema = v.record(Identifier, Condition);
export type Where = v.InferOutput<typeof WhereSchema>;
export type Condition = Where[string];

const NonEmptyWhere = v.pipe(
  WhereSchema,
  v.check((where) => Object.keys(where).length > 0, 'must not be empty (refusing to touch every row)'),
);

const OrderBy = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z_][A-Za-z0-9_]*(\s+(ASC|DESC|asc|desc))?$/, 'must be "column" or "column ASC|DESC"'),
  v.transform((entry) => {
    const [column, direction] = entry.trim().split(/\s+/);
    return { column: column!, direction: (direction ?? 'ASC').toUpperCase() as 'ASC' | 'DESC' };
  }),
);
export type OrderByEntry = v.InferOutput<typeof OrderBy>;

const Empty = v.optional(v.strictObject({}), {});

/** `database: true` also checks that the database answers (readiness); plain ping is liveness. */
export const PingParams = v.optional(v.strictObject({ database: v.optional(v.boolean()) }), {});
export const StatsParams = Empty;
export const ListTablesParams = Empty;
export const GetSchemaVersionParams = Empty;

export const ROLES = ['owner'] as const;
export const HelloParams = v.strictObject({
  client: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  priority: v.optional(PrioritySchema),
  /** `owner`: the server's own connection, which may change protected tables (protection.ts). */
  role: v.optional(v.picklist(ROLES, 'must be "owner" when given')),
});

export const CreateTableParams = v.strictObject({ schema: TableDefinitionSchema });
export const DropTableParams = v.strictObject({ table_name: Identifier, if_exists: v.optional(v.boolean(), false) });

/** The row methods' own params; each takes a `transaction_id` too, except inside a batch (the batch has one). */
const InsertEntries = { table_name: Identifier, data: Row };
const InsertManyEntries = { table_name: Identifier, rows: v.pipe(v.array(Row), v.minLength(1, 'must hold at least one row')) };
const UpdateEntries = {
  table_name: Identifier,
  where: NonEmptyWhere,
  data: v.pipe(Row, v.check((row) => Object.keys(row).length > 0, 'must set at least one column')),
};
const DeleteEntries = { table_name: Identifier, where: NonEmptyWhere };
/** The columns a read answers with (all of them when absent). */
const SelectColumns = v.pipe(v.array(Identifier), v.minLength(1));
const SelectEntries = {
  table_name: Identifier,
  where: v.optional(WhereSchema),
  columns: v.optional(SelectColumns),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  order_by: v.optional(v.array(OrderBy)),
};
const ExecuteEntries = {
  sql: v.pipe(v.string(), v.minLength(1)),
  params: v.optional(v.union([v.array(Value), v.record(v.string(), Value)])),
};

export const InsertParams = v.strictObject({ ...InsertEntries, transaction_id: TransactionId });
export const InsertManyParams = v.strictObject({ ...InsertManyEntries, transaction_id: TransactionId });
export const UpdateParams = v.strictObject({ ...UpdateEntries, transaction_id: TransactionId });
export const DeleteParams = v.strictObject({ ...DeleteEntries, transaction_id: TransactionId });
export const SelectParams = v.strictObject({ ...SelectEntries, transaction_id: TransactionId });
export const ExecuteParams = v.strictObject({ ...ExecuteEntries, transaction_id: TransactionId });

export const BeginTransactionParams = v.optional(
  v.strictObject({ timeout_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))) }),
  {},
);
export const TransactionParams = v.strictObject({ transaction_id: v.pipe(v.string(), v.minLength(1)) });

/** One operation of a batch: the method's params without `transaction_id` (the batch carries it). */
const operation = <M extends string, E extends v.ObjectEntries>(method: M, entries: E) => v.strictObject({ method: v.literal(method), params: v.strictObject(entries) });
const BatchOperation = v.variant('method', [
  operation('insert', InsertEntries),
  operation('insert_many', InsertManyEntries),
  operation('update', UpdateEntries),
  operation('delete', DeleteEntries),
  operation('select', SelectEntries),
  operation('execute', ExecuteEntries),
]);
export const BATCH_METHODS = ['insert', 'insert_many', 'update', 'delete', 'select', 'execute'] as const;
export type BatchMethod = (typeof BATCH_METHODS)[number];
export type BatchOperationInput = v.InferOutput<typeof BatchOperation>;
export const BatchParams = v.strictObject({
  operations: v.pipe(v.array(BatchOperation), v.minLength(1, 'must hold at least one operation')),
  transaction_id: TransactionId,
});

export const MAX_VECTOR_SEARCH_LIMIT = 1000;
/** The field each row of a vector_search answer carries its distance in. */
export const DISTANCE_FIELD = 'distance';

/** A query vector: cosine ignores its length, but it needs a direction. */
const SearchVector = v.pipe(
  v.array(v.pipe(v.number(), v.finite('must be a finite number'))),
  v.minLength(1, 'must not be empty'),
  v.maxLength(MAX_VECTOR_DIMENSION, `must have at most ${MAX_VECTOR_DIMENSION} dimensions`),
  v.check((vector) => vector.some((x) => x !== 0), 'must not be the zero vector (it has no direction)'),
);

/**
 * The nearest rows to `vector` by cosine distance over an int8 vector column
 * (vector-codec.ts), among the rows `where` selects; `where` and `columns` as `select` has them.
 */
export const VectorSearchParams = v.strictObject({
  table: Identifier,
  column: Identifier,
  vector: SearchVector,
  limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_VECTOR_SEARCH_LIMIT)),
  where: v.optional(WhereSchema),
  columns: v.optional(
    v.pipe(
      SelectColumns,
      v.check((columns) => !columns.includes(DISTANCE_FIELD), `must not name "${DISTANCE_FIELD}": each row carries its distance under that name`),
    ),
  ),
});

export const TableNameParams = v.strictObject({ table_name: Identifier });

export const SyncSchemaParams = v.strictObject({
  schema_definition: SchemaDefinitionSchema,
  backup_dir: v.optional(v.pipe(v.string(), v.minLength(1))),
  dry_run: v.optional(v.boolean(), false),
});

/** A plain file name: the driver puts it in its own backup directory, never elsewhere. */
const FileName = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(255, 'must be at most 255 characters'),
  v.check((name) => !/[/\\\0]/.test(name), 'must be a plain file name (no "/", "\\" or NUL)'),
  v.check((name) => !name.includes('..') && name !== '.', 'must be a plain file name (no "..")'),
);

export const BackupParams = v.strictObject({ file_name: FileName });
export const OptimizeParams = Empty;
export const CHECKPOINT_MODES = ['passive', 'full', 'restart', 'truncate'] as const;
export const CheckpointParams = v.optional(v.strictObject({ mode: v.optional(v.picklist(CHECKPOINT_MODES), 'passive') }), {});

export type HelloInput = v.InferOutput<typeof HelloParams>;
export type CreateTableInput = v.InferOutput<typeof CreateTableParams>;
export type DropTableInput = v.InferOutput<typeof DropTableParams>;
export type InsertInput = v.InferOutput<typeof InsertParams>;
export type InsertManyInput = v.InferOutput<typeof InsertManyParams>;
export type UpdateInput = v.InferOutput<typeof UpdateParams>;
export type DeleteInput = v.InferOutput<typeof DeleteParams>;
export type SelectInput = v.InferOutput<typeof SelectParams>;
export type VectorSearchInput = v.InferOutput<typeof VectorSearchParams>;
export type ExecuteInput = v.InferOutput<typeof ExecuteParams>;
export type BeginTransactionInput = v.InferOutput<typeof BeginTransactionParams>;
export type TransactionInput = v.InferOutput<typeof TransactionParams>;
export type TableNameInput = v.InferOutput<typeof TableNameParams>;
export type BatchInput = v.InferOutput<typeof BatchParams>;
export type SyncSchemaInput = v.InferOutput<typeof SyncSchemaParams>;
export type BackupInput = v.InferOutput<typeof BackupParams>;
export type CheckpointInput = v.InferOutput<typeof CheckpointParams>;
export type CheckpointMode = (typeof CHECKPOINT_MODES)[number];

/** What the caller writes (before defaults and transforms): the typed client's argument types. */
export type SelectArgs = v.InferInput<typeof SelectParams>;
export type VectorSearchArgs = v.InferInput<typeof VectorSearchParams>;
export type SyncSchemaArgs = v.InferInput<typeof SyncSchemaParams>;
export type TableDefinitionArgs = v.InferInput<typeof TableDefinitionSchema>;
