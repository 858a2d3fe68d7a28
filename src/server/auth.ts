import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import type { CallerRole } from './app-env.ts';
import { jsonError } from './http-errors.ts';

const REALM = 'code-analysis';
const BEARER = /^Bearer +(\S+) *$/i;

export interface Tokens {
  /** Full access (what `server.rpc` allows); when null, every caller has it. */
  auth: string | null;
  /** Read-only access; only meaningful next to `auth`. */
  read: string | null;
}

/**
 * Say who the caller is (`c.get('role')`): without an auth token every caller is `full`;
 * with one, `Authorization: Bearer <token>` is required on every path but `open` ones, and
 * the token given decides `full` or `read`. Hand-written rather than hono's bearerAuth,
 * which answers 400 to a token outside the token68 alphabet; our tokens are any string of
 * the config, and a wrong one is a 401 either way.
 */
export function identifyCaller(tokens: Tokens, open: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    if (tokens.auth === null || open.has(c.req.path)) {
      c.set('role', 'full');
      return next();
    }
    const presented = BEARER.exec(c.req.header('Authorization') ?? '')?.[1];
    if (presented === undefined) {
      c.header('WWW-Authenticate', `Bearer realm="${REALM}"`);
      return jsonError(c, 401, 'unauthorized', 'this server requires "Authorization: Bearer <token>"');
    }
    const role = await roleOf(tokens.auth, tokens.read, presented);
    if (role === null) {
      c.header('WWW-Authenticate', `Bearer realm="${REALM}", error="invalid_token"`);
      return jsonError(c, 401, 'unauthorized', 'the bearer token is not valid');
    }
    c.set('role', role);
    return next();
  };
}

async function roleOf(auth: string, read: string | null, presented: string): Promise<CallerRole | null> {
  // Both compared every time, by digest: neither which token matched nor its length leaks through timing.
  const isFull = await timingSafeEqual(auth, presented);
  const isRead = read !== null && (await timingSafeEqual(read, presented));
  if (isFull) return 'full';
  return isRead ? 'read' : null;
}
