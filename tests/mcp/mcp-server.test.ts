import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpClient } from '../helpers/mcp-client.ts';
import { sampleProjects, type SampleProjects } from '../helpers/mcp-projects.ts';
import { indexedProjects, type IndexedProjects, toolsOver } from '../helpers/indexed-project.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { startTestServer, type TestServer } from '../server/server-fixture.ts';
import { call, describeToolSpec, toolError } from './tool-spec.ts';

const TOKEN = 'a-test-token-of-some-length';
let projects: SampleProjects;
let indexed: IndexedProjects;
let server: TestServer;
let client: Client;
const unexpected: unknown[] = [];

beforeAll(async () => {
  projects = await sampleProjects(await makeTempDir());
  indexed = await indexedProjects([projects.py, projects.ts]);
  server = await startTestServer(indexed.driver.rpc(), { code: () => indexed.tools, onUnexpectedError: (error) => unexpected.push(error) });
  client = await httpClient(server.url);
});

describe('MCP over POST /mcp, in process', () => {
  describeToolSpec({ client: () => client, projects: () => projects, watched: false });

  it('answers GET and DELETE with 405 (stateless: nothing to stream, no session to end)', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${server.url}/mcp`, { method, headers: { accept: 'text/event-stream' } });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    }
  });

  it('answers protocol errors as JSON-RPC errors', async () => {
    const post = (body: string) =>
      fetch(`${server.url}/mcp`, { method: 'POST', body, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } });
    const garbage = await post('{not json');
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });
    const notRpc = await post(JSON.stringify({ hello: 'world' }));
    expect(notRpc.status).toBe(400);
    expect(((await notRpc.json()) as { error: { code: number } }).error.code).toBe(-32700);
    expect((await call(client, 'list_projects', {})).projects).toHaveLength(2);
  });

  it('requires the bearer token like every other route', async () => {
    const guarded = await startTestServer(indexed.driver.rpc(), { code: () => indexed.tools, authToken: TOKEN });
    const anonymous = await fetch(`${guarded.url}/mcp`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(anonymous.status).toBe(401);
    await expect(httpClient(guarded.url, { authorization: 'Bearer wrong-token-wrong-token' })).rejects.toThrow();
    const allowed = await httpClient(guarded.url, { authorization: `Bearer ${TOKEN}` });
    expect((await call(allowed, 'list_projects', {})).projects).toHaveLength(2);
  });

  it('says the index is not available while it is not, as a tool error', async () => {
    const starting = await startTestServer(indexed.driver.rpc(), { code: () => undefined });
    const early = await httpClient(starting.url);
    expect((await early.listTools()).tools.length).toBeGreaterThan(5);
    expect(await toolError(early, 'list_projects', {})).toContain('not available');
  });

  it('turns a failure that is not a protocol error into a tool error, and reports it', async () => {
    const broken = { ...toolsOver(indexed.code), code: { projects: () => Promise.reject(new TypeError('boom')) } } as never;
    const failing = await startTestServer(indexed.driver.rpc(), { code: () => broken, onUnexpectedError: (error) => unexpected.push(error) });
    const text = await toolError(await httpClient(failing.url), 'list_projects', {});
    expect(text).toBe('list_projects: boom');
    expect(unexpected.pop()).toBeInstanceOf(TypeError);
    expect(unexpected).toEqual([]);
  });
});
