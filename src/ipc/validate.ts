import * as v from 'valibot';
import { type ErrorCodeName, RpcError } from './errors.ts';

/** Say what is wrong in words a caller can act on. */
function describe(issue: v.BaseIssue<unknown>): string {
  if (issue.expected === 'never' && issue.type.endsWith('object')) return 'unknown field';
  if (issue.received === 'undefined') return 'is required';
  return issue.message;
}

/**
 * Parse a value that crossed a boundary. On failure, throw an RpcError whose message names
 * each offending field (`params.where.age: …; params.tabel_name: unknown field`) and whose
 * data carries the first one.
 */
export function validate<const TSchema extends v.GenericSchema>(
  schema: TSchema,
  value: unknown,
  options: { code?: ErrorCodeName; prefix?: string } = {},
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issues = result.issues.slice(0, 5).map((issue) => ({
    field: [options.prefix, v.getDotPath(issue)].filter(Boolean).join('.'),
    message: describe(issue),
  }));
  const message = issues
    .slice(0, 3)
    .map((issue) => (issue.field ? `${issue.field}: ${issue.message}` : issue.message))
    .join('; ');
  throw new RpcError(options.code ?? 'VALIDATION_ERROR', message, { field: issues[0]!.field, issues });
}
