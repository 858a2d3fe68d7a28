import { describe, expect, it } from 'vitest';
import * as mcp from '../../src/mcp/index.ts';
import { mcpHttpHandler } from '../../src/mcp/http-handler.ts';
import { createMcpServer } from '../../src/mcp/mcp-server.ts';
import { StdioTransport } from '../../src/mcp/stdio-transport.ts';
import { jsonSchemaOf, mcpTools } from '../../src/mcp/tool-list.ts';

describe('src/mcp/index.ts', () => {
  it('re-exports the MCP server, its transports and its tool list', () => {
    expect(Object.keys(mcp).sort()).toEqual(['StdioTransport', 'createMcpServer', 'jsonSchemaOf', 'mcpHttpHandler', 'mcpTools']);
    expect(mcp.createMcpServer).toBe(createMcpServer);
    expect(mcp.mcpHttpHandler).toBe(mcpHttpHandler);
    expect(mcp.StdioTransport).toBe(StdioTransport);
    expect(mcp.jsonSchemaOf).toBe(jsonSchemaOf);
    expect(mcp.mcpTools).toBe(mcpTools);
  });
});
