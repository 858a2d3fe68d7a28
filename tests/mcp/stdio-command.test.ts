import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { runCli } from '../helpers/cli.ts';
import { stdioClient } from '../helpers/mcp-client.ts';
import { sampleProjects, type SampleProjects } from '../helpers/mcp-projects.ts';
import { BIN } from '../helpers/paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { call, describeToolSpec } from './tool-spec.ts';

let projects: SampleProjects;
let dataDir: string;
let client: Client;
let stderr: () => string;

beforeAll(async () => {
  const dir = await makeTempDir();
  projects = await sampleProjects(dir);
  dataDir = join(dir, 'data');
  const indexed = await runCli(['index', projects.py, projects.ts, '--data-dir', dataDir]);
  expect(indexed.code, indexed.stderr).toBe(0);
  ({ client, stderr } = await stdioClient(['--data-dir', dataDir, '--log-level', 'info']));
});

describe('code-analysis mcp (stdio, a transient driver)', () => {
  describeToolSpec({ client: () => client, projects: () => projects, watched: false });

  it('logs to stderr only (the client would have failed on anything else on stdout)', async () => {
    expect((await call(client, 'list_projects', {})).projects).toHaveLength(2);
    expect(stderr()).toContain('serving MCP on stdio');
  });
});

describe('code-analysis mcp ends when its stdin closes', () => {
  it('answers what it was sent, then stops its transient driver and exits 0', async () => {
    const dir = await makeTempDir();
    const child = spawn(process.execPath, [BIN, 'mcp', '--data-dir', join(dir, 'data')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const driverPid = join(dir, 'data/run/driver.pid');
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
    child.stdin.write(`${JSON.stringify(initialize)}\n`);
    const pid = await waitFor(() => (existsSync(driverPid) ? Number(readFileSync(driverPid, 'utf8').trim()) : 0), { timeoutMs: 30_000, message: 'the transient driver' });
    child.stdin.write('not json\n');
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_projects', arguments: {} } })}\n`);
    child.stdin.end();
    expect(await exited, errors).toEqual({ code: 0, signal: null });
    const answers = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: unknown; result?: unknown; error?: { code: number } });
    expect(answers.map((answer) => answer.id).sort()).toEqual([1, 2, null].sort());
    expect(answers.find((answer) => answer.id === null)?.error?.code).toBe(-32700);
    expect(answers.find((answer) => answer.id === 2)?.result).toMatchObject({ structuredContent: { projects: [] } });
    expect(nodeRuntime.isPidAlive(pid)).toBe(false);
    expect(existsSync(join(dir, 'data/run/driver.sock'))).toBe(false);
  });
});
