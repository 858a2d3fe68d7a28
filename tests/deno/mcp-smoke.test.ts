/// <reference lib="deno.ns" />
import { Client } from '@modelcontextprotocol/sdk/client';
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fileURLToPath } from 'node:url';
import { denoRuntime } from '../../src/runtime/deno.ts';

const py = fileURLToPath(new URL('../../test_data/projects/py-sample', import.meta.url));

// `code-analysis mcp` under Deno: the stdio transport reads Deno's stdin, the transient
// driver runs on node:sqlite, and the SDK's own Client (under Deno too) drives it.
Deno.test({
  name: 'code-analysis mcp under Deno answers the SDK client over stdio',
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await denoRuntime.fs.makeTempDir('ca-mcp-');
    try {
      const [deno, ...cli] = denoRuntime.selfCommand();
      const index = await new Deno.Command(deno!, { args: [...cli, 'index', py, '--data-dir', `${dir}/data`], stdout: 'null', stderr: 'piped' }).output();
      if (!index.success) throw new Error(`index failed: ${new TextDecoder().decode(index.stderr)}`);
      const client = new Client({ name: 'deno-smoke', version: '1.0.0' });
      await client.connect(new StdioClientTransport({ command: deno!, args: [...cli, 'mcp', '--data-dir', `${dir}/data`], stderr: 'inherit' }));
      try {
        const { tools } = await client.listTools();
        if (!tools.some((tool) => tool.name === 'get_symbol')) throw new Error(`no get_symbol among ${tools.map((tool) => tool.name)}`);
        const result = await client.callTool({ name: 'get_symbol', arguments: { qualified_name: 'Square.Meta.describe' } });
        const symbol = (result.structuredContent as { symbols: Array<{ line_start: number; source: string }> }).symbols[0];
        if (symbol?.line_start !== 51 || !symbol.source.includes('def describe(self):')) throw new Error(`unexpected answer: ${JSON.stringify(result)}`);
      } finally {
        await client.close();
      }
    } finally {
      await denoRuntime.fs.rm(dir, { recursive: true });
    }
  },
});
