import { RpcError } from '../ipc/errors.ts';
import { validate } from '../ipc/validate.ts';
import type { CodeTools } from './context.ts';
import { fileOutline } from './file-outline.ts';
import { findReferences } from './find-references.ts';
import { getSymbol } from './get-symbol.ts';
import { indexStatus } from './index-status.ts';
import { fileSymbols, fileTree, listFiles, listProjects, projectStats } from './projects.ts';
import { readSource } from './read-source.ts';
import { reindex } from './reindex.ts';
import { searchSymbols, semanticSearch } from './search.ts';
import type { ToolSpec } from './tool.ts';

/**
 * Every code tool, by name: one implementation behind the three doors (MCP tools, the
 * HTTP routes and POST /rpc, the CLI). MCP lists those marked `mcp`, in this order.
 */
export const CODE_TOOLS: Readonly<Record<string, ToolSpec>> = Object.freeze(
  Object.fromEntries(
    [
      ...[searchSymbols, semanticSearch, getSymbol, fileOutline, readSource, findReferences, listProjects, projectStats, indexStatus, reindex],
      // JSON-RPC and HTTP only.
      ...[listFiles, fileSymbols, fileTree],
    ].map((spec) => [spec.name, spec]),
  ),
);

export function isCodeCommand(method: string): boolean {
  return Object.hasOwn(CODE_TOOLS, method);
}

/**
 * Validate a call's arguments and run the tool; every failure is an RpcError whose message
 * names the bad field (`prefix` goes before it: `params.` over JSON-RPC).
 */
export async function runCodeCommand(tools: CodeTools | undefined, name: string, params: unknown, prefix?: string): Promise<unknown> {
  const spec = CODE_TOOLS[name];
  if (!spec) throw new RpcError('INVALID_REQUEST', `unknown tool "${name}"`, { method: name });
  const input = validate(spec.params, params ?? {}, { prefix });
  if (!tools) throw new RpcError('CONNECTION_ERROR', 'the code index is not available (the database is not ready)');
  return spec.run(tools, input);
}
