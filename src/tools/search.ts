import * as v from 'valibot';
import { RpcError } from '../ipc/errors.ts';
import { Limit, ProjectRef, SymbolKindField, Text } from './fields.ts';
import { resolveProject } from './project-ref.ts';
import { lineRange, plural } from './render.ts';
import { SymbolHitShape } from './shapes.ts';
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

/** Until embeddings exist (issue 11), the tool is listed with the shape it will answer in and refuses politely. */
export const semanticSearch = tool({
  name: 'semantic_search',
  title: 'Semantic search',
  description:
    'Find symbols by meaning rather than by name (embeddings of their code and docstrings). Not available until the server ' +
    'stores embeddings; it then says how to enable them. Use search_symbols meanwhile.',
  params: SearchParams,
  result: v.object({ symbols: v.array(v.object({ ...SymbolHitShape.entries, score: v.number() })) }),
  mcp: true,
  run: async () => {
    throw new RpcError(
      'INVALID_REQUEST',
      'semantic search is not available: this server does not compute embeddings yet (they come with the vectorization worker); ' +
        'use search_symbols, which matches names and docstring words',
    );
  },
  text: ({ symbols }) => symbols.map((hit) => `${hit.score.toFixed(3)} ${hit.kind} ${hit.qualified_name}  ${hit.project}/${hit.path}:${hit.line_start}`).join('\n'),
});
