import * as v from 'valibot';
import { semanticSearch as semanticSearchOf } from '../analysis/semantic-search.ts';
import { Limit, ProjectRef, SymbolKindField, Text } from './fields.ts';
import { resolveProject } from './project-ref.ts';
import { lineRange, plural } from './render.ts';
import { ProjectVectorsShape, SymbolHitShape } from './shapes.ts';
import { tool } from './tool.ts';

const SearchParams = v.strictObject({
  query: Text('Words to find in symbol names, qualified names and docstrings; each word may be a prefix.', 500),
  kind: SymbolKindField,
  project: v.optional(ProjectRef),
  limit: Limit(50, 1_000),
});

const Hits = v.object({ symbols: v.array(SymbolHitShape) });

export const searchSymbols = tool({
  name: 'search_symbols',
  title: 'Search symbols',
  description:
    'Find classes, functions, methods and imports by name or by words of their docstrings. Exact names rank first, then names ' +
    'starting with the query, then names containing it, then docstring matches. Each hit gives its file and line range.',
  params: SearchParams,
  result: Hits,
  mcp: true,
  run: async (tools, { query, kind, project, limit }) => {
    const projectId = project === undefined ? undefined : (await resolveProject(tools, project)).id;
    return { symbols: await tools.code.search(query, { kind, projectId, limit }) };
  },
  text: ({ symbols }) =>
    symbols.length === 0
      ? 'No symbol matches.'
      : [
          `${plural(symbols.length, 'symbol')}:`,
          ...symbols.map((hit) => `  ${hit.kind.padEnd(8)} ${hit.qualified_name}  ${lineRange(`${hit.project}/${hit.path}`, hit.line_start, hit.line_end)}`),
        ].join('\n'),
});

export const VectorsShape = v.object({
  ready: v.pipe(v.boolean(), v.description('Whether vectors took part for every project searched.')),
  notice: v.pipe(v.nullable(v.string()), v.description('Why they did not (fully), with the counts: the ranking then is by full text over names and docstrings, with the vectors that exist.')),
  projects: v.array(ProjectVectorsShape),
});

export const semanticSearch = tool({
  name: 'semantic_search',
  title: 'Semantic search',
  description:
    'Find classes, functions and methods by meaning, with a question in words ("pool which limits how many connections are open"): ' +
    'full-text relevance (BM25) over names and docstrings fused with embeddings of each definition, exact names first. ' +
    'When vectors are not ready for a project, `vectors.notice` says so (with progress) and the ranking is by full text over names and docstrings.',
  params: v.strictObject({
    query: Text('A question in words, or a name.', 500),
    kind: SymbolKindField,
    project: v.optional(ProjectRef),
    limit: Limit(20, 200),
  }),
  result: v.object({ symbols: v.array(v.object({ ...SymbolHitShape.entries, score: v.pipe(v.number(), v.description('The fused score, higher better.')) })), vectors: VectorsShape }),
  mcp: true,
  run: async (tools, { query, kind, project, limit }) => {
    const projectId = project === undefined ? undefined : (await resolveProject(tools, project)).id;
    return semanticSearchOf(tools.code, tools.embeddings, query, { kind, projectId, limit });
  },
  text: ({ symbols, vectors }) =>
    [
      ...(vectors.notice ? [`Note: ${vectors.notice}`] : []),
      symbols.length === 0 ? 'No definition matches.' : `${plural(symbols.length, 'definition')}:`,
      ...symbols.map((hit) => `  ${hit.score.toFixed(3)} ${hit.kind.padEnd(8)} ${hit.qualified_name}  ${lineRange(`${hit.project}/${hit.path}`, hit.line_start, hit.line_end)}`),
    ].join('\n'),
});
