/**
 * Which names a request may use for this server, in its `Host` and `Origin` headers (the
 * defence against DNS rebinding: a page of evil.example whose name now resolves to
 * 127.0.0.1 still sends `Host: evil.example`). The loopback names are always accepted.
 */
export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Names compare lowercased, IPv6 addresses in brackets (as in a Host header or a URL). */
export function normalizeHostName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/** The accepted names: loopback ones plus `configured` (the bind host, `server.allowed_hosts`). */
export function allowedHostNames(configured: readonly string[]): ReadonlySet<string> {
  return new Set([...LOOPBACK_NAMES, ...configured].map(normalizeHostName));
}

/** The name of a `Host` header value (`name`, `name:port`, `[v6]`, `[v6]:port`), or null when it is malformed. */
export function hostHeaderName(value: string): string | null {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]\s/@]+)(?::\d{1,5})?$/i.exec(value.trim());
  return match ? normalizeHostName(match[1]!) : null;
}

/** The host name of an `Origin` header value, or null when it is not an http(s) origin (`null` included). */
export function originHostName(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return normalizeHostName(url.hostname);
}
