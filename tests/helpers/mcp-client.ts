import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { deferCleanup } from './cleanup.ts';
import { BIN } from './paths.ts';

/** The SDK's own Client on a server's /mcp (Streamable HTTP), closed after the test file. */
export async function httpClient(baseUrl: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'code-analysis-tests', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers } }));
  deferCleanup(() => client.close());
  return client;
}

/**
 * The SDK's own Client on a real `code-analysis mcp` child (stdio), as a desktop client
 * starts it; its stderr is collected. Closed (stdin closed, so it ends) after the test file.
 */
export async function stdioClient(args: string[], options: { cwd?: string } = {}): Promise<{ client: Client; transport: StdioClientTransport; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...args], cwd: options.cwd, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'code-analysis-tests', version: '1.0.0' });
  deferCleanup(() => client.close());
  await client.connect(transport).catch((error: Error) => {
    throw new Error(`${error.message}\nstderr of code-analysis mcp:\n${stderr}`);
  });
  return { client, transport, stderr: () => stderr };
}
