import * as v from 'valibot';

/**
 * The shapes the code tools answer with, as valibot schemas: the MCP output schemas are
 * generated from them, and the results' types inferred from them, so the two cannot drift.
 */

const Kind = v.picklist(['class', 'function', 'method', 'import']);
const Line = v.pipe(v.number(), v.integer(), v.minValue(1));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const ProjectShape = v.object({
  id: v.number(),
  name: v.string(),
  root: v.string(),
  created_at: v.string(),
  last_scan_at: v.nullable(v.string()),
});

export const FileShape = v.object({
  id: v.number(),
  path: v.string(),
  language: v.string(),
  size: Count,
  mtime_ms: v.number(),
  hash: v.string(),
  lines: Count,
  parse_error: v.nullable(v.string()),
  indexed_at: v.string(),
});

export const SymbolShape = v.object({
  id: v.number(),
  name: v.string(),
  kind: Kind,
  qualified_name: v.string(),
  parent: v.nullable(v.string()),
  line_start: Line,
  line_end: Line,
  signature: v.nullable(v.string()),
  docstring: v.nullable(v.string()),
});

export const SymbolHitShape = v.object({
  name: v.string(),
  kind: Kind,
  qualified_name: v.string(),
  path: v.string(),
  line_start: Line,
  line_end: Line,
  /** The project's root directory. */
  project: v.string(),
  docstring: v.nullable(v.string()),
});

/** A symbol's place, without its text: children of a symbol, nodes of an outline. */
export const SymbolRefShape = v.object({
  name: v.string(),
  kind: Kind,
  qualified_name: v.string(),
  line_start: Line,
  line_end: Line,
});

export const Counts = v.record(v.string(), Count);

/** The project's id, name and root: how the tools name a project in their answers. */
export const ProjectRefShape = v.object({ id: v.number(), name: v.string(), root: v.string() });

/** A project scan's progress, as the indexer reports it (a watched directory not scanned yet has only root and state). */
export const ScanShape = v.object({
  root: v.string(),
  state: v.pipe(v.string(), v.description('waiting, scanning, done or aborted')),
  seen: v.optional(Count),
  indexed: v.optional(Count),
  unchanged: v.optional(Count),
  removed: v.optional(Count),
  failed: v.optional(Count),
  parse_errors: v.optional(Count),
  symbols: v.optional(Count),
  skipped: v.optional(Count),
  started_at: v.optional(v.string()),
  finished_at: v.optional(v.nullable(v.string())),
  error: v.optional(v.nullable(v.string())),
});

/** Files re-indexed before answering because they changed on disk since they were indexed. */
export const Reindexed = v.pipe(
  v.array(v.string()),
  v.description('Paths that had changed since they were indexed and were re-indexed before answering.'),
);

export { Count, Kind, Line };

/** How far a project's definitions are embedded with its current model. */
export const ProjectVectorsShape = v.object({
  project_id: v.number(),
  root: v.string(),
  provider: v.string(),
  model_id: v.pipe(v.nullable(v.string()), v.description('The model its vectors are made with; null before the vectorizer reached the project.')),
  symbols: v.pipe(Count, v.description('Definitions (classes, functions, methods) in the index.')),
  embedded: v.pipe(Count, v.description('Those with a vector of the model.')),
  empty: v.pipe(Count, v.description('Those the model found nothing in (no vector).')),
  pending: v.pipe(Count, v.description('Those still to embed.')),
  ready: v.boolean(),
});
