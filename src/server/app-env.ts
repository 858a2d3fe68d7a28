import type { RpcAccess } from '../config/schema.ts';

/**
 * Who made a request, as the token it presented says: `full` (the auth token, or anyone
 * when the server has none) or `read` (the read token). Set by the auth middleware on
 * every route but /health; routes read it as `c.get('role')` (e.g. /mcp).
 */
export type CallerRole = 'full' | 'read';

declare module 'hono' {
  interface ContextVariableMap {
    role: CallerRole;
  }
}

/** What POST /rpc may do for a caller: `server.rpc`, capped at `read` for the read token. */
export function rpcAccessOf(role: CallerRole, configured: RpcAccess): RpcAccess {
  return role === 'read' && configured === 'write' ? 'read' : configured;
}
