import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { request } from 'node:http';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpClient, stdioClient } from '../helpers/mcp-client.ts';
import { sampleProjects, type SampleProjects } from '../helpers/mcp-projects.ts';
import { type ServeHandle, startServe, testConfig } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { call, describeToolSpec } from './tool-spec.ts';

let projects: SampleProjects;
let serve: ServeHandle;
let client: Client;

/** The indexer's scans of every project finished. */
async function indexed(handle: ServeHandle, roots: string[]): Promise<void> {
  await waitFor(
    async () => {
      const reports = ((await handle.service('worker-indexer')).details.projects ?? []) as Array<{ root: string; state: string }>;
      return roots.every((root) => reports.some((report) => report.root === root && report.state === 'done'));
    },
    { timeoutMs: 60_000, message: 'the indexer to finish the sample projects' },
  );
}

/** A raw HTTP request with a Host header of our choosing (fetch does not let us set it). */
function withHost(url: string, host: string, body: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { hostname, port, path: '/mcp', method: 'POST', headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

beforeAll(async () => {
  const dir = await makeTempDir();
  projects = await sampleProjects(dir);
  serve = await startServe({ dir, config: testConfig({ workers: { indexer: { enabled: true, watch_dirs: [projects.py, projects.ts] } } }) });
  await indexed(serve, [projects.py, projects.ts]);
  client = await httpClient(serve.url);
});

describe('MCP on a real serve: POST /mcp', () => {
  describeToolSpec({ client: () => client, projects: () => projects, watched: true });

  it('refuses a request for another Host (DNS rebinding) with 403', async () => {
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    expect((await withHost(serve.url, new URL(serve.url).host, initialize)).status).toBe(200);
    const evil = await withHost(serve.url, 'evil.example.com', initialize);
    expect(evil.status).toBe(403);
  });
});

describe('code-analysis mcp while a server runs', () => {
  it('uses the running server\'s driver (a transient one could not start beside it)', async () => {
    const { client: stdio, stderr } = await stdioClient(['--config', serve.configFile], { cwd: serve.dir });
    const listed = await call(stdio, 'list_projects', {});
    expect(listed.projects.map((project: { root: string }) => project.root).sort(), stderr()).toEqual([projects.py, projects.ts].sort());
    expect(join(serve.dir, 'data')).toBe(serve.paths.dataDir);
  });
});
