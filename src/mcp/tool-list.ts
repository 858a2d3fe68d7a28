// @ts-types="@modelcontextprotocol/sdk/types" (Deno: the package's wildcard export names no .d.ts for a .js path)
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { CODE_TOOLS } from '../tools/registry.ts';
import type { ToolSpec } from '../tools/tool.ts';

type ObjectSchema = Tool['inputSchema'];

/**
 * JSON Schema of a tool's valibot schema. MCP's default dialect is 2020-12; the schemas use
 * only keywords that read the same in draft-07, so validators of either accept them. No
 * `$schema` member: a client then applies the protocol's default.
 */
export function jsonSchemaOf(schema: v.GenericSchema): ObjectSchema {
  const { $schema: _dialect, ...rest } = toJsonSchema(schema, { target: 'draft-2020-12', errorMode: 'throw' }) as Record<string, unknown>;
  if (rest.type !== 'object') throw new Error(`a tool schema must describe an object, not ${JSON.stringify(rest.type)}`);
  return rest as ObjectSchema;
}

function mcpTool(spec: ToolSpec): Tool {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: jsonSchemaOf(spec.params),
    outputSchema: jsonSchemaOf(spec.result),
    annotations: {
      title: spec.title,
      readOnlyHint: !spec.writes,
      destructiveHint: false,
      idempotentHint: true,
      // Only the indexed projects, never the network.
      openWorldHint: false,
    },
  };
}

/** The code tools MCP lists, with their schemas: made once, on first use. */
let listed: Tool[] | undefined;
export function mcpTools(): Tool[] {
  listed ??= Object.values(CODE_TOOLS)
    .filter((spec) => spec.mcp)
    .map(mcpTool);
  return listed;
}
