import * as v from 'valibot';
import { UsageError } from './context.ts';

/** A command-line flag holding a whole number, checked and converted. */
export const IntegerFlag = (min: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, 'must be a whole number'),
    v.transform(Number),
    v.minValue(min, `must be at least ${min}`),
  );

/** Parse command-line flags with a valibot schema; a bad one is a UsageError naming it. */
export function parseFlags<const S extends v.GenericSchema>(schema: S, flags: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, flags);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  throw new UsageError(path ? `--${path.replaceAll('_', '-')}: ${issue.message}` : issue.message);
}

/** Every value of a flag given more than once (`--watch a --watch=b`); citty keeps only the last. */
export function repeatedFlag(rawArgs: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === '--') break;
    if (arg === `--${name}` && i + 1 < rawArgs.length) values.push(rawArgs[++i] as string);
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
  }
  return values;
}
