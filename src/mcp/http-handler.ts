// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp" (Deno: the package's wildcard export names no .d.ts for a .js path)
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
// @ts-types="@modelcontextprotocol/sdk/types" (Deno: the package's wildcard export names no .d.ts for a .js path)
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { createMcpServer, type McpServerOptions } from './mcp-server.ts';

/** Largest POST /mcp body: tool arguments are small. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * MCP's Streamable HTTP transport, stateless: each POST gets its own server and transport
 * (the SDK's way for stateless servers) and a plain JSON answer. Without sessions there
 * is nothing to stream to a GET nor to end with a DELETE: both are answered 405, as the
 * spec allows.
 */
export function mcpHttpHandler(options: McpServerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'POST') {
      const body = { jsonrpc: '2.0', id: null, error: { code: ErrorCode.InvalidRequest, message: `${request.method} /mcp is not supported: this server is stateless, POST requests only` } };
      return Response.json(body, { status: 405, headers: { Allow: 'POST' } });
    }
    const server = createMcpServer(options);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: MAX_BODY_BYTES });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request);
    } finally {
      // With JSON answers the response is complete once handleRequest returns.
      await server.close();
    }
  };
}
