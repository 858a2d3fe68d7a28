import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { REPO_ROOT } from '../../helpers/paths.ts';
import { startServe, testConfig } from '../../helpers/serve.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { progress } from '../lib/progress.ts';
import type { Summary } from '../lib/summary.ts';
import { timeAsync } from '../lib/timed-loop.ts';

/** The real tree the rows search: hono's published build, present after install. */
const INDEXED_TREE = join(REPO_ROOT, 'node_modules/hono/dist');

/** Calls per series after the warm-up; grep scans the whole tree each time, so fewer of those. */
const COUNTS = { warmup: 20, ops: 300 };
const GREP_COUNTS = { warmup: 2, ops: 30 };
/** Names looked up in turn: a few uses each, in several copies of the build (ESM, CJS, .d.ts). */
const NAMES = ['compose', 'HTTPException', 'getPath'];
const QUALIFIED_NAMES = ['Hono', 'HTTPException', 'Context.json'];

async function callOk(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name} ${JSON.stringify(args)} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as Record<string, unknown>;
}

/** `grep -rnw NAME TREE`: what finding a name costs without an index; resolves with its line count. */
async function grep(name: string): Promise<number> {
  const child = nodeRuntime.spawn(['grep', '-rnw', name, INDEXED_TREE], { stdout: 'pipe', stderr: 'ignore' });
  let lines = 0;
  for await (const chunk of child.stdout ?? []) for (const byte of chunk) if (byte === 10) lines++;
  const { code } = await child.exited;
  if (code !== 0 && code !== 1) throw new Error(`grep -rnw ${name} exited ${code}`);
  return lines;
}

const ratio = (baseline: Summary, candidate: Summary) => Number((baseline.p50_us / candidate.p50_us).toFixed(2));

/**
 * The MCP tools through a real `serve` (POST /mcp, the SDK's own client, one call at a time)
 * on a real tree, and find_references against `grep -rnw` of the same names on the same
 * tree in the same run.
 */
export async function mcpRows() {
  progress(`mcp: serve indexing ${INDEXED_TREE}`);
  const serve = await startServe({ config: testConfig({ log: { level: 'warn' }, workers: { indexer: { enabled: true, watch_dirs: [INDEXED_TREE] } } }) });
  const scan = await waitFor(
    async () => {
      const projects = ((await serve.service('worker-indexer')).details.projects ?? []) as Array<{ state: string; seen: number; indexed: number }>;
      return projects[0]?.state === 'done' ? projects[0] : undefined;
    },
    { timeoutMs: 300_000, intervalMs: 250, message: 'serve to index the tree' },
  );
  const client = new Client({ name: 'code-analysis-bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${serve.url}/mcp`)));
  try {
    progress('mcp: search_symbols, get_symbol, find_references through POST /mcp');
    const search_symbols = await timeAsync((i) => callOk(client, 'search_symbols', { query: NAMES[i % NAMES.length], limit: 20 }), COUNTS);
    const get_symbol = await timeAsync((i) => callOk(client, 'get_symbol', { qualified_name: QUALIFIED_NAMES[i % QUALIFIED_NAMES.length] }), COUNTS);
    const find_references = await timeAsync((i) => callOk(client, 'find_references', { name: NAMES[i % NAMES.length], limit: 1000 }), COUNTS);
    const found: Record<string, { references: number; grep_lines: number }> = {};
    for (const name of NAMES) {
      const { references } = (await callOk(client, 'find_references', { name, limit: 1000 })) as { references: unknown[] };
      found[name] = { references: references.length, grep_lines: await grep(name) };
    }
    progress('mcp: grep -rnw over the same tree');
    const grep_rnw = await timeAsync((i) => grep(NAMES[i % NAMES.length]!), GREP_COUNTS);
    return {
      tree: 'node_modules/hono/dist',
      files: scan.seen,
      names: found,
      search_symbols,
      get_symbol,
      find_references,
      grep_rnw,
      find_references_speedup_over_grep_p50: ratio(grep_rnw, find_references),
    };
  } finally {
    await client.close();
  }
}
