import * as v from 'valibot';
import { IDENTIFIER_PATTERN, MAX_IDENTIFIER_LENGTH } from './sql/identifiers.ts';

/** Portable column types (DESIGN §6), mapped onto each dialect's own types. */
export const PORTABLE_TYPES = ['integer', 'real', 'text', 'blob', 'boolean', 'json', 'timestamp'] as const;
export type PortableType = (typeof PORTABLE_TYPES)[number];

const SQL_TYPE_NAMES: ReadonlyArray<[RegExp, PortableType]> = [
  [/^(integer|int|int2|int4|int8|bigint|smallint|tinyint|mediumint|serial|bigserial|smallserial)$/, 'integer'],
  [/^(real|float|float4|float8|double|double precision|numeric|decimal)(\s*\(\s*\d+\s*(,\s*\d+\s*)?\))?$/, 'real'],
  [/^(text|clob|string|uuid|(varchar|char|character|character varying|nvarchar|nchar)(\s*\(\s*\d+\s*\))?)$/, 'text'],
  [/^(blob|bytea|binary|varbinary)$/, 'blob'],
  [/^(boolean|bool)$/, 'boolean'],
  [/^(json|jsonb)$/, 'json'],
  [/^(timestamp|timestamptz|datetime|date|timestamp with time zone|timestamp without time zone)$/, 'timestamp'],
];

/** Map a type name (portable or plain SQL, any case) onto a portable type, or undefined. */
export function toPortableType(name: string): PortableType | undefined {
  const normalized = name.trim().toLowerCase().replace(/\s+/g, ' ');
  for (const [pattern, type] of SQL_TYPE_NAMES) if (pattern.test(normalized)) return type;
  return undefined;
}

const Identifier = v.pipe(
  v.string(),
  v.maxLength(MAX_IDENTIFIER_LENGTH),
  v.regex(IDENTIFIER_PATTERN, 'must be an identifier (letters, digits and _, not starting with a digit)'),
);

const ColumnType = v.pipe(
  v.string(),
  v.check((name) => toPortableType(name) !== undefined, (issue) => `unknown column type ${JSON.stringify(issue.input)}`),
  v.transform((name) => toPortableType(name)!),
);

const ForeignKeyAction = v.pipe(
  v.string(),
  v.transform((action) => action.trim().toLowerCase().replace(/_/g, ' ')),
  v.picklist(['cascade', 'set null', 'set default', 'restrict', 'no action'], 'must be cascade, set null, set default, restrict or no action'),
);

export const ColumnDefinitionSchema = v.pipe(
  v.object({
    name: Identifier,
    type: ColumnType,
    primary_key: v.optional(v.boolean(), false),
    not_null: v.optional(v.boolean()),
    /** The older spelling: `nullable: false` means `not_null: true`. */
    nullable: v.optional(v.boolean()),
    unique: v.optional(v.boolean(), false),
    default: v.optional(v.nullable(v.union([v.string(), v.pipe(v.number(), v.finite()), v.boolean()]))),
    references: v.optional(
      v.object({
        table: Identifier,
        column: Identifier,
        on_delete: v.optional(ForeignKeyAction),
        on_update: v.optional(ForeignKeyAction),
      }),
    ),
  }),
  v.transform(({ nullable, not_null, ...column }) => ({
    ...column,
    not_null: not_null ?? (nullable === undefined ? false : !nullable),
  })),
);
export type ColumnDefinition = v.InferOutput<typeof ColumnDefinitionSchema>;

export const IndexDefinitionSchema = v.object({
  name: Identifier,
  columns: v.pipe(v.array(Identifier), v.minLength(1, 'an index needs at least one column')),
  unique: v.optional(v.boolean(), false),
});
export type IndexDefinition = v.InferOutput<typeof IndexDefinitionSchema>;

export const TableDefinitionSchema = v.pipe(
  v.object({
    name: Identifier,
    columns: v.pipe(v.array(ColumnDefinitionSchema), v.minLength(1, 'a table needs at least one column')),
    indexes: v.optional(v.array(IndexDefinitionSchema), []),
    /** Only connections that said `hello {role: "owner"}` may change it (protection.ts). */
    protected: v.optional(v.boolean(), false),
  }),
  v.check((table) => new Set(table.columns.map((c) => c.name.toLowerCase())).size === table.columns.length, 'column names must be unique'),
  v.check(
    (table) => table.indexes.every((index) => index.columns.every((name) => table.columns.some((c) => c.name === name))),
    'every index column must be a column of the table',
  ),
);
export type TableDefinition = v.InferOutput<typeof TableDefinitionSchema>;

export const SchemaDefinitionSchema = v.object({
  /** Recorded when given; a definition without one syncs and records none. */
  version: v.optional(v.pipe(v.union([v.string(), v.number()]), v.transform(String), v.minLength(1))),
  tables: v.array(TableDefinitionSchema),
});
export type SchemaDefinition = v.InferOutput<typeof SchemaDefinitionSchema>;
