import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexedProjects } from '../helpers/indexed-project.ts';
import { httpClient } from '../helpers/mcp-client.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { astReferences, pythonJsonPackage } from '../helpers/python-ast.ts';
import { typescriptReferences } from '../helpers/typescript-references.ts';
import { startTestServer } from '../server/server-fixture.ts';
import { call } from './tool-spec.ts';

const HONO = join(REPO_ROOT, 'node_modules/hono/dist');
let json: string | null;
let client: Client;

beforeAll(async () => {
  json = await pythonJsonPackage();
  if (!json) console.warn('python3 not found: find_references is checked on node_modules/hono/dist only');
  const indexed = await indexedProjects(json ? [json, HONO] : [HONO]);
  client = await httpClient((await startTestServer(indexed.driver.rpc(), { code: () => indexed.tools })).url);
}, 120_000);

type Hit = { path: string; line: number; column: number; kind: string; enclosing: string | null; text: string | null };

async function referencesTo(name: string, project: string): Promise<Hit[]> {
  const answer = await call(client, 'find_references', { name, project, limit: 1_000 });
  expect(answer.more, `${name}: more than 1000 references`).toBe(false);
  return answer.references as Hit[];
}

describe('find_references on trees nobody here wrote', () => {
  it("the machine's python3 json package: for several names, the (file, line) set CPython's ast counts", async () => {
    if (!json) return;
    const files = ['__init__.py', 'decoder.py', 'encoder.py', 'scanner.py', 'tool.py'];
    const counted = await astReferences(files.map((file) => join(json!, file)));
    for (const name of ['encode', 'JSONDecodeError', 'scanstring', 'JSONDecoder', 'load', 'end', 'obj', 'isinstance', 'self']) {
      const independent = new Set(files.flatMap((file) => counted[join(json!, file)]!.filter(([found]) => found === name).map(([, line]) => `${file}:${line}`)));
      const found = new Set((await referencesTo(name, json)).map((hit) => `${hit.path}:${hit.line}`));
      expect([...found].sort(), name).toEqual([...independent].sort());
      expect(independent.size, name).toBeGreaterThan(0);
    }
    // The example: in json/__init__.py the call `_default_encoder.encode(obj)` is a reference to encode inside dumps.
    const encode = (await referencesTo('encode', json)).find((hit) => hit.path === '__init__.py' && hit.text?.includes('_default_encoder.encode(obj)'));
    expect(encode).toMatchObject({ kind: 'call', enclosing: 'dumps' });
  });

  it('node_modules/hono/dist: for several names, the (file, line) set the TypeScript compiler counts', async () => {
    const names = ['Hono', 'compose', 'HTTPException', 'getPath', 'Context', 'mergePath'];
    const independent = new Map(names.map((name) => [name, new Set<string>()]));
    const files = (await readdir(HONO, { recursive: true })).filter((path) => /\.(?:[mc]?[jt]s|[jt]sx)$/.test(path));
    for (const path of files) {
      const text = await readFile(join(HONO, path), 'utf8');
      for (const [found, line] of typescriptReferences(path, text)) independent.get(found)?.add(`${path}:${line}`);
    }
    for (const name of names) {
      const found = new Set((await referencesTo(name, HONO)).map((hit) => `${hit.path}:${hit.line}`));
      expect([...found].sort(), name).toEqual([...independent.get(name)!].sort());
      expect(found.size, name).toBeGreaterThan(0);
    }
  });
});
