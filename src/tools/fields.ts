import * as v from 'valibot';

/**
 * The parameter fields the code tools share. Their descriptions end up in the MCP tool
 * schemas (an assistant reads them to call the tool) and their messages in the errors
 * that name a bad field.
 */

const WHOLE = 'must be a whole number';

export const Id = v.pipe(v.number('must be a number'), v.integer(WHOLE), v.minValue(1, 'must be at least 1'));

export const Text = (what: string, max = 1_000) =>
  v.pipe(
    v.string('must be a string'),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
    v.description(what),
  );

export const ProjectRef = v.pipe(
  v.union([Id, v.pipe(v.string(), v.minLength(1), v.maxLength(4_096))], 'must be a project id, a project name or a project root path'),
  v.description('The project: its id, its name, or its root directory (absolute path).'),
);

export const FilePath = v.pipe(
  v.string('must be a string'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(4_096, 'must be at most 4096 characters'),
  v.description('A file path relative to the project root (an absolute path inside a project root works too).'),
);

export const Limit = (fallback: number, max: number) =>
  v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer(WHOLE),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(max, `must be at most ${max}`),
      v.description(`Most results (default ${fallback}, at most ${max}).`),
    ),
    fallback,
  );

export const LineNumber = (what: string) =>
  v.optional(v.pipe(v.number('must be a number'), v.integer(WHOLE), v.minValue(1, 'must be at least 1'), v.description(what)));

export const SymbolKindField = v.optional(
  v.pipe(
    v.picklist(['class', 'function', 'method', 'import'], 'must be class, function, method or import'),
    v.description('Only symbols of this kind.'),
  ),
);
