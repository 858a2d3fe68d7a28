import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deferCleanup } from './cleanup.ts';

/** How the fake endpoint behaves: serving, down (503), hanging, answering garbage, or refusing (400). */
export type EndpointMode = 'up' | 'down' | 'hang' | 'garbage' | 'refuse';

/** A deterministic vector for a text: the same text always gets the same (unnormalised) vector. */
export function deterministicVector(text: string, dimension: number): number[] {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619) >>> 0;
  return Array.from({ length: dimension }, (_, j) => ((Math.imul(hash, j + 1) >>> 0) % 2001) / 1000 - 1);
}

/**
 * A real OpenAI-compatible embeddings server on loopback (`POST /v1/embeddings`), with
 * deterministic vectors, for the http provider's tests: its mode can be switched to
 * simulate an outage, and it can be stopped and started again on the same port.
 */
export class EmbeddingServer {
  mode: EndpointMode = 'up';
  /** Every request that reached the embeddings route: its model, batch and Authorization header. */
  readonly requests: Array<{ model: unknown; input: string[]; authorization: string | undefined }> = [];
  private server: Server | null = null;
  private readonly hanging = new Set<ServerResponse>();

  /** When set, a request without `Authorization: Bearer <apiKey>` gets 401. */
  apiKey: string | null = null;

  private constructor(
    /** Length of the vectors it answers; may be changed (another model behind the same URL). */
    public dimension: number,
    public port = 0,
  ) {}

  static async start(dimension = 8): Promise<EmbeddingServer> {
    const server = new EmbeddingServer(dimension);
    await server.listen();
    deferCleanup(() => server.stop());
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listen again, on the same port as before. */
  async listen(): Promise<void> {
    const server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stop listening and drop every connection: the endpoint is gone (connection refused). */
  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of request) body += chunk;
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
      response.writeHead(404).end('not found');
      return;
    }
    const parsed = JSON.parse(body) as { model: unknown; input: string[] };
    this.requests.push({ model: parsed.model, input: parsed.input, authorization: request.headers.authorization });
    if (this.apiKey !== null && request.headers.authorization !== `Bearer ${this.apiKey}`) {
      response.writeHead(401).end('{"error": "invalid api key"}');
      return;
    }
    if (this.mode === 'hang') {
      this.hanging.add(response);
      return;
    }
    if (this.mode === 'down') {
      response.writeHead(503, { 'retry-after': '0' }).end('overloaded');
      return;
    }
    if (this.mode === 'garbage') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"data": "nothing useful"');
      return;
    }
    if (this.mode === 'refuse') {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error": "model not found"}');
      return;
    }
    // In reverse order with their indexes, as a server may: the client must sort them.
    const data = parsed.input.map((text, index) => ({ object: 'embedding', index, embedding: deterministicVector(text, this.dimension) })).reverse();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', model: parsed.model, data }));
  }
}
