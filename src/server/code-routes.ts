import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCodeName, RpcError } from '../ipc/errors.ts';
import type { CodeTools } from '../tools/context.ts';
import { runCodeCommand } from '../tools/registry.ts';

const HTTP_STATUS: Partial<Record<ErrorCodeName, ContentfulStatusCode>> = {
  NOT_FOUND: 404,
  VALIDATION_ERROR: 400,
  INVALID_REQUEST: 400,
  PERMISSION_DENIED: 403,
  CONNECTION_ERROR: 503,
  SHUTTING_DOWN: 503,
  QUEUE_FULL: 503,
  TIMEOUT: 504,
};

/** Query-string fields the tools take as numbers. */
const NUMERIC = new Set(['limit', 'line_start', 'line_end']);

/** Query-string numbers arrive as text; the tool's schema wants numbers (anything else is left for it to refuse). */
function numberOf(text: string): number | string {
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** The query string as a tool's arguments: `q` is `query`, numeric fields become numbers, absent ones stay absent. */
function queryParams(c: Context, rename: Record<string, string> = {}): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(c.req.query())) {
    const field = rename[key] ?? key;
    params[field] = NUMERIC.has(field) ? numberOf(value) : value;
  }
  return params;
}

/**
 * The HTTP door onto the code tools: the same validation and errors as POST /rpc and the
 * MCP tools, with the protocol error mapped to an HTTP status.
 */
export function codeRoutes(app: Hono, tools: () => CodeTools | undefined, onUnexpectedError: (error: unknown) => void): void {
  const answer = async (c: Context, name: string, params: Record<string, unknown>) => {
    try {
      return c.json(await runCodeCommand(tools(), name, params));
    } catch (error) {
      const rpcError = RpcError.from(error);
      if (!(error instanceof RpcError)) onUnexpectedError(error);
      return c.json({ error: rpcError.toJSON() }, HTTP_STATUS[rpcError.codeName] ?? 500);
    }
  };
  const project = (c: Context) => numberOf(c.req.param('id') ?? '');

  app.get('/projects', (c) => answer(c, 'list_projects', queryParams(c)));
  app.get('/projects/:id/files', (c) => answer(c, 'list_files', { ...queryParams(c), project: project(c) }));
  app.get('/projects/:id/stats', (c) => answer(c, 'project_stats', { ...queryParams(c), project: project(c) }));
  app.get('/projects/:id/symbols', (c) => answer(c, 'file_symbols', { ...queryParams(c), project: project(c) }));
  app.get('/projects/:id/tree', (c) => answer(c, 'file_tree', { ...queryParams(c), project: project(c) }));
  // `mode=semantic`: the semantic_search tool (meaning and words); `mode=name` or none: search_symbols.
  app.get('/search', (c) => {
    const { mode, ...params } = queryParams(c, { q: 'query' });
    if (mode === undefined || mode === 'name') return answer(c, 'search_symbols', params);
    if (mode === 'semantic') return answer(c, 'semantic_search', params);
    const error = new RpcError('VALIDATION_ERROR', `mode: must be name or semantic, not ${JSON.stringify(mode)}`, { field: 'mode' });
    return c.json({ error: error.toJSON() }, 400);
  });
  app.get('/symbol', (c) => answer(c, 'get_symbol', queryParams(c)));
  app.get('/outline', (c) => answer(c, 'file_outline', queryParams(c)));
  app.get('/source', (c) => answer(c, 'read_source', queryParams(c)));
  app.get('/references', (c) => answer(c, 'find_references', queryParams(c)));
  app.get('/index-status', (c) => answer(c, 'index_status', queryParams(c)));
  app.post('/reindex', async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return c.json({ error: new RpcError('INVALID_REQUEST', 'the body must be a JSON object: {"project": …, "path"?: …}').toJSON() }, 400);
    }
    return answer(c, 'reindex', body as Record<string, unknown>);
  });
}
