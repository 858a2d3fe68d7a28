import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

/**
 * One HTTP request with exactly the headers given, `Host` included (fetch always writes
 * its own Host): what a browser sends after DNS rebinding, or a client without a Host.
 * A `host` of null sends no Host header at all.
 */
export function rawHttp(
  url: string,
  options: { method?: string; headers?: Record<string, string>; host?: string | null; body?: string } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  const headers = { ...options.headers, ...(typeof options.host === 'string' ? { Host: options.host } : {}) };
  return new Promise((resolve, reject) => {
    const sent = request(
      { hostname: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'GET', headers, setHost: options.host !== null },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: () => JSON.parse(text) }));
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(options.body);
  });
}
