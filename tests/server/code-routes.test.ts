import { beforeAll, describe, expect, it } from 'vitest';
import { CodeDatabase, type Project } from '../../src/db/code-database.ts';
import { indexedSample, toolsOver } from '../helpers/indexed-project.ts';
import { startTestServer, type TestServer } from './server-fixture.ts';

let server: TestServer;
let unavailable: TestServer;
let failing: TestServer;
let project: Project;
const unexpected: unknown[] = [];

beforeAll(async () => {
  const indexed = await indexedSample('ts-sample');
  const { driver, tools } = indexed;
  project = indexed.project;
  server = await startTestServer(driver.rpc(), { code: () => tools, onUnexpectedError: (error) => unexpected.push(error) });
  unavailable = await startTestServer(driver.rpc(), { code: () => undefined });
  // A CodeDatabase whose client has been closed: every call fails, as with a broken index.
  const closed = driver.client();
  const broken = await CodeDatabase.open(closed);
  closed.close();
  const brokenTools = toolsOver(broken);
  failing = await startTestServer(driver.rpc(), { code: () => brokenTools, onUnexpectedError: (error) => unexpected.push(error) });
});

async function get(path: string, on: TestServer = server): Promise<{ status: number; body: Record<string, any> }> {
  const response = await on.get(path);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const files = async () => (await get(`/projects/${project.id}/files`)).body.files.map((file: { path: string }) => file.path) as string[];

describe('code GET routes', () => {
  it('GET /projects lists the projects', async () => {
    expect(await get('/projects')).toEqual({ status: 200, body: { projects: [project] } });
  });

  it('GET /projects/:id/files lists the files, without the ignored dist/', async () => {
    const paths = await files();
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((path) => path.startsWith('src/'))).toBe(true);
    expect(paths).toContain('src/shapes.ts');
  });

  it('GET /projects/:id/stats counts the project', async () => {
    const { status, body } = await get(`/projects/${project.id}/stats`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ project, files: (await files()).length, parse_errors: 0 });
    expect(Object.keys(body.languages).sort()).toEqual(['javascript', 'tsx', 'typescript']);
    expect(body.symbols.class).toBeGreaterThan(0);
  });

  it('GET /projects/:id/symbols?path= gives a file\'s symbols', async () => {
    const { status, body } = await get(`/projects/${project.id}/symbols?path=${encodeURIComponent('src/shapes.ts')}`);
    expect(status).toBe(200);
    expect(body.file.path).toBe('src/shapes.ts');
    expect(body.symbols.length).toBeGreaterThan(0);
    for (const symbol of body.symbols) expect(symbol.line_end).toBeGreaterThanOrEqual(symbol.line_start);
  });

  it('GET /projects/:id/tree?path= gives a file\'s syntax tree', async () => {
    const { status, body } = await get(`/projects/${project.id}/tree?path=src/widget.tsx`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ file: { path: 'src/widget.tsx', language: 'tsx' }, truncated: false, tree: { type: 'program' } });
  });

  it('GET /search finds symbols, with kind, project and limit', async () => {
    const { body: all } = await get('/search?q=shape');
    expect(all.symbols.length).toBeGreaterThan(0);
    const { status, body } = await get(`/search?q=shape&kind=class&project=${project.id}&limit=1`);
    expect(status).toBe(200);
    expect(body.symbols).toHaveLength(1);
    expect(body.symbols[0]).toMatchObject({ kind: 'class', project: project.root });
    expect((await get(`/search?q=shape&project=${encodeURIComponent(project.name)}`)).body.symbols.length).toBe(all.symbols.length);
    expect((await get('/search?q=shape&project=999')).status).toBe(404);
    expect((await get('/search?q=shape&mode=name')).body).toEqual(all);
  });

  it('GET /search?mode=semantic answers the semantic_search tool, and refuses another mode naming it', async () => {
    const { status, body } = await get('/search?q=area%20of%20a%20circle&mode=semantic&limit=3');
    expect(status).toBe(200);
    expect(body.symbols[0]).toMatchObject({ qualified_name: expect.stringMatching(/Circle/), score: expect.any(Number) });
    // Nobody embedded this index: said, with the counts.
    expect(body.vectors).toMatchObject({ ready: false, projects: [{ root: project.root, model_id: null, embedded: 0 }] });
    expect(body.vectors.notice).toMatch(/no builtin embedding model yet/);
    const bad = await get('/search?q=x&mode=vector');
    expect(bad).toEqual({ status: 400, body: { error: expect.objectContaining({ code: 4, message: 'mode: must be name or semantic, not "vector"', data: { field: 'mode' } }) } });
  });

  it('GET /symbol, /outline, /source, /references, /index-status: the code tools, by query string', async () => {
    const symbol = await get(`/symbol?qualified_name=Circle.area&project=${project.id}`);
    expect(symbol.status).toBe(200);
    expect(symbol.body.symbols[0]).toMatchObject({ path: 'src/shapes.ts', line_start: 39, source: expect.stringContaining('area(): number {') });
    const outline = await get(`/outline?path=src/shapes.ts&project=${encodeURIComponent(project.name)}`);
    expect(outline.body.symbols.map((node: { qualified_name: string }) => node.qualified_name)).toContain('Circle');
    const source = await get('/source?path=src/format.js&line_start=5&line_end=6');
    expect(source.body).toMatchObject({ line_start: 5, line_end: 6, lines: ['export function format(value) {', '  return value.toFixed(2);'], next_line_start: 7 });
    const references = await get(`/references?name=round&project=${project.id}&limit=10`);
    expect(references.body.references.map((r: { path: string; line: number; kind: string }) => `${r.path}:${r.line} ${r.kind}`)).toEqual([
      'src/format.js:9 call',
      'src/shapes.ts:3 import',
      'src/shapes.ts:19 call',
    ]);
    const status = await get('/index-status');
    expect(status.body).toMatchObject({
      indexer: 'not running',
      vectorizer: 'not running',
      embedding_errors: null,
      projects: [{ root: project.root, files: 5, watched: false, vectors: { provider: 'builtin', model_id: null, pending: expect.any(Number), ready: false, state: null } }],
    });
  });

  it('POST /reindex re-indexes a file now, and refuses what is not a JSON object', async () => {
    const reindex = (body: string) => fetch(`${server.url}/reindex`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const done = await reindex(JSON.stringify({ project: project.id, path: 'src/format.js' }));
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ path: 'src/format.js', by: 'this process', state: 'unchanged' });
    for (const body of ['[1]', 'nope', 'null']) {
      const refused = await reindex(body);
      expect(refused.status, body).toBe(400);
      expect(((await refused.json()) as { error: { code: number } }).error.code).toBe(1);
    }
    const escape = await reindex(JSON.stringify({ project: project.id, path: '../../../etc/passwd.py' }));
    expect(escape.status).toBe(403);
  });

  it('answers 404 NOT_FOUND for an unknown project or path', async () => {
    for (const path of ['/projects/999/files', '/projects/x/files', '/projects/999/stats', `/projects/999/symbols?path=src/shapes.ts`, `/projects/${project.id}/symbols?path=missing.ts`, `/projects/${project.id}/tree?path=dist/bundle.js`]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(404);
      expect(body.error, path).toMatchObject({ code: 3 });
    }
  });

  it('answers 400 VALIDATION_ERROR naming the field, and stays up', async () => {
    const cases: Array<[string, string]> = [
      ['/projects/0/stats', 'project'],
      [`/projects/${project.id}/symbols`, 'path'],
      [`/projects/${project.id}/tree?path=`, 'path'],
      ['/search?q=shape&kind=enum', 'kind'],
      ['/search?q=shape&limit=many', 'limit'],
      ['/search?q=shape&project_id=1', 'project_id'],
      ['/search', 'query'],
    ];
    for (const [path, field] of cases) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(body.error, path).toMatchObject({ code: 4, data: { field } });
      expect(body.error.message, path).toContain(field);
    }
    expect((await get('/projects')).status).toBe(200);
  });

  it('keeps injection attempts in q and path harmless', async () => {
    for (const q of ["x'); DROP TABLE symbols; --", '"', '* OR *', 'NEAR(shape', 'a" OR "b', '%27%3B']) {
      const { status, body } = await get(`/search?q=${encodeURIComponent(q)}`);
      expect(status, q).toBe(200);
      expect(body.symbols, q).toEqual(expect.any(Array));
    }
    for (const path of ["' OR '1'='1", 'src/%', 'src/_hapes.ts']) {
      const { status } = await get(`/projects/${project.id}/symbols?path=${encodeURIComponent(path)}`);
      expect(status, path).toBe(404);
    }
    expect((await get(`/projects/${project.id}/symbols?path=${encodeURIComponent('../../etc/passwd')}`)).status).toBe(403);
    expect((await files()).length).toBeGreaterThan(0);
    expect(unexpected).toEqual([]);
  });

  it('answers 503 CONNECTION_ERROR while the index is not available', async () => {
    for (const path of ['/projects', '/projects/1/files', '/search?q=shape']) {
      const { status, body } = await get(path, unavailable);
      expect(status, path).toBe(503);
      expect(body.error, path).toMatchObject({ code: 10 });
    }
  });

  it('answers with the status of the failure when the index itself fails', async () => {
    const { status, body } = await get('/projects', failing);
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: 10 });
  });
});
