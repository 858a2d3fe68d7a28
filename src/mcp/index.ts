export { mcpHttpHandler } from './http-handler.ts';
export { createMcpServer, type McpServerOptions } from './mcp-server.ts';
export { StdioTransport } from './stdio-transport.ts';
export { jsonSchemaOf, mcpTools } from './tool-list.ts';
