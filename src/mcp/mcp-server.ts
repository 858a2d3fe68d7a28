import { Server } from '@modelcontextprotocol/sdk/server';
// @ts-types="@modelcontextprotocol/sdk/types" (Deno: the package's wildcard export names no .d.ts for a .js path)
import { type CallToolResult, CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { RpcError } from '../ipc/errors.ts';
import type { CodeTools } from '../tools/context.ts';
import { CODE_TOOLS, runCodeCommand } from '../tools/registry.ts';
import { mcpTools } from './tool-list.ts';

export interface McpServerOptions {
  version: string;
  /** The tools' context, or undefined while the index is not ready (each call then says so). */
  tools: () => CodeTools | undefined;
  /** Told of every failure that is not a tool error (a bug); the caller gets a tool error all the same. */
  onUnexpectedError?: (error: unknown) => void;
}

const INSTRUCTIONS =
  'Code intelligence over the indexed projects (Python, TypeScript/TSX, JavaScript). Start with list_projects; find symbols ' +
  'with search_symbols, read one with get_symbol, a file\'s structure with file_outline, its lines with read_source, and who ' +
  'uses a name with find_references. Paths are relative to the project root; "project" is an id, a name or a root directory.';

// The server validates nothing against JSON Schema itself (no elicitation): one validator for every per-request server.
let validator: AjvJsonSchemaValidator | undefined;

async function callTool(options: McpServerOptions, name: string, args: Record<string, unknown> | undefined): Promise<CallToolResult> {
  const spec = Object.hasOwn(CODE_TOOLS, name) ? CODE_TOOLS[name] : undefined;
  // An unknown tool is a protocol error (the spec's -32602), a failing known one a tool error.
  if (!spec?.mcp) throw new McpError(ErrorCode.InvalidParams, `unknown tool "${name}"`);
  try {
    const result = (await runCodeCommand(options.tools(), name, args ?? {})) as Record<string, unknown>;
    return { content: [{ type: 'text', text: spec.text(result) }], structuredContent: result };
  } catch (error) {
    if (!(error instanceof RpcError)) options.onUnexpectedError?.(error);
    return { isError: true, content: [{ type: 'text', text: `${name}: ${RpcError.from(error).message}` }] };
  }
}

/** An MCP server (the SDK's low-level Server) offering the code tools; one per stdio session or HTTP request. */
export function createMcpServer(options: McpServerOptions): Server {
  validator ??= new AjvJsonSchemaValidator();
  const server = new Server(
    { name: 'code-analysis', title: 'code-analysis', version: options.version },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS, jsonSchemaValidator: validator },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: mcpTools() }));
  server.setRequestHandler(CallToolRequestSchema, (request) => callTool(options, request.params.name, request.params.arguments));
  return server;
}
