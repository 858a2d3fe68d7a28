import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { CodeDatabase } from '../db/code-database.ts';
import { type ErrorCodeName, RpcError } from '../ipc/errors.ts';
import { runCodeCommand } from './code-commands.ts';

const HTTP_STATUS: Partial<Record<ErrorCodeName, ContentfulStatusCode>> = {
  NOT_FOUND: 404,
  VALIDATION_ERROR: 400,
  INVALID_REQUEST: 400,
  CONNECTION_ERROR: 503,
  SHUTTING_DOWN: 503,
  QUEUE_FULL: 503,
  TIMEOUT: 504,
};

/** Query-string numbers arrive as text; the command's schema wants numbers. */
function numberOf(text: string | undefined): number | undefined | string {
  if (text === undefined) return undefined;
  return /^\d+$/.test(text) ? Number(text) : text;
}

/**
 * Friendly GET routes over the code commands: the same validation and errors as POST /rpc,
 * with the protocol error mapped to an HTTP status.
 */
export function codeRoutes(app: Hono, code: () => CodeDatabase | undefined, onUnexpectedError: (error: unknown) => void): void {
  const answer = async (c: Context, method: string, params: Record<string, unknown>) => {
    try {
      return c.json(await runCodeCommand(code(), method, params));
    } catch (error) {
      const rpcError = RpcError.from(error);
      if (!(error instanceof RpcError)) onUnexpectedError(error);
      return c.json({ error: rpcError.toJSON() }, HTTP_STATUS[rpcError.codeName] ?? 500);
    }
  };
  const projectId = (c: Context) => numberOf(c.req.param('id'));
  const defined = (params: Record<string, unknown>) => Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));

  app.get('/projects', (c) => answer(c, 'list_projects', {}));
  app.get('/projects/:id/files', (c) => answer(c, 'list_files', { project_id: projectId(c) }));
  app.get('/projects/:id/stats', (c) => answer(c, 'project_stats', { project_id: projectId(c) }));
  app.get('/projects/:id/symbols', (c) => answer(c, 'file_symbols', defined({ project_id: projectId(c), path: c.req.query('path') })));
  app.get('/projects/:id/tree', (c) => answer(c, 'file_tree', defined({ project_id: projectId(c), path: c.req.query('path') })));
  app.get('/search', (c) =>
    answer(
      c,
      'search_symbols',
      defined({ query: c.req.query('q'), kind: c.req.query('kind'), project_id: numberOf(c.req.query('project_id')), limit: numberOf(c.req.query('limit')) }),
    ),
  );
}
