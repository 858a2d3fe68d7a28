import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'hono/utils/buffer';
import { jsonError } from './http-errors.ts';

const REALM = 'code-analysis';
const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Require `Authorization: Bearer <token>` on every path but `open` ones. Hand-written rather
 * than hono's bearerAuth, which answers 400 to a token outside the token68 alphabet; our
 * tokens are any string of the config, and a wrong one is a 401 either way.
 */
export function requireToken(token: string, open: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    if (open.has(c.req.path)) return next();
    const presented = BEARER.exec(c.req.header('Authorization') ?? '')?.[1];
    if (presented === undefined) {
      c.header('WWW-Authenticate', `Bearer realm="${REALM}"`);
      return jsonError(c, 401, 'unauthorized', 'this server requires "Authorization: Bearer <token>"');
    }
    // Compares digests, so neither the length nor the content leaks through timing.
    if (!(await timingSafeEqual(token, presented))) {
      c.header('WWW-Authenticate', `Bearer realm="${REALM}", error="invalid_token"`);
      return jsonError(c, 401, 'unauthorized', 'the bearer token is not valid');
    }
    return next();
  };
}
