import * as v from 'valibot';
import { type ErrorCodeName, RpcError } from './errors.ts';

/**
 * Parse a value that crossed a boundary. On failure, throw an RpcError whose message names
 * the offending field (`params.where.age: Invalid type: …`) and whose data carries it.
 */
export function validate<const TSchema extends v.GenericSchema>(
  schema: TSchema,
  value: unknown,
  options: { code?: ErrorCodeName; prefix?: string } = {},
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  const field = [options.prefix, path].filter(Boolean).join('.') || (options.prefix ?? '');
  throw new RpcError(options.code ?? 'VALIDATION_ERROR', field ? `${field}: ${issue.message}` : issue.message, {
    field,
    issues: result.issues.slice(0, 5).map((each) => ({
      field: [options.prefix, v.getDotPath(each)].filter(Boolean).join('.'),
      message: each.message,
    })),
  });
}
