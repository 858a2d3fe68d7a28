import type { MiddlewareHandler } from 'hono';
import { hostHeaderName, originHostName } from './allowed-hosts.ts';
import { jsonError } from './http-errors.ts';

const ALLOWED_HOSTS_HINT = 'list the name in server.allowed_hosts to accept it';

/**
 * The first check of every route: the `Host` and, when a browser sent one, the `Origin`
 * header must name this server (403 otherwise), and a POST body must be
 * `application/json` (415 otherwise), which a cross-site form or `text/plain` fetch can
 * never send without a CORS preflight this server does not answer.
 */
export function requestGuard(allowed: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('Host');
    if (host === undefined) return jsonError(c, 403, 'forbidden_host', 'the Host header is required');
    const hostName = hostHeaderName(host);
    if (hostName === null || !allowed.has(hostName)) {
      return jsonError(c, 403, 'forbidden_host', `Host header ${JSON.stringify(host)} does not name this server; ${ALLOWED_HOSTS_HINT}`);
    }
    const origin = c.req.header('Origin');
    if (origin !== undefined) {
      const originName = originHostName(origin);
      if (originName === null || !allowed.has(originName)) {
        return jsonError(c, 403, 'forbidden_origin', `Origin header ${JSON.stringify(origin)} is not this server; ${ALLOWED_HOSTS_HINT}`);
      }
    }
    if (c.req.method === 'POST') {
      const type = c.req.header('Content-Type');
      const mediaType = type?.split(';')[0]!.trim().toLowerCase();
      if (mediaType !== 'application/json') {
        const got = type === undefined ? 'none' : JSON.stringify(type);
        return jsonError(c, 415, 'unsupported_media_type', `Content-Type must be application/json (got ${got})`);
      }
    }
    return next();
  };
}
