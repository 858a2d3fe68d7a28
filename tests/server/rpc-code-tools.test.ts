import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/db/code-database.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { indexedSample } from '../helpers/indexed-project.ts';
import { startTestServer, type TestServer } from './server-fixture.ts';

const NOT_FOUND = 3;
const VALIDATION_ERROR = 4;
const CONNECTION_ERROR = 10;

let server: TestServer;
let unavailable: TestServer;
let project: Project;
const unexpected: unknown[] = [];

beforeAll(async () => {
  const indexed = await indexedSample('py-sample');
  const { driver, tools } = indexed;
  project = indexed.project;
  server = await startTestServer(driver.rpc(), { code: () => tools, onUnexpectedError: (error) => unexpected.push(error) });
  unavailable = await startTestServer(driver.rpc(), { code: () => undefined });
});

/** Symbols per kind in the fixture's list of expected symbols. */
async function expectedKinds(): Promise<Record<string, number>> {
  const expected = JSON.parse(await readFile(join(REPO_ROOT, 'test_data/projects/py-sample/expected-symbols.json'), 'utf8')) as Array<{ kind: string }>;
  const kinds: Record<string, number> = {};
  for (const { kind } of expected) kinds[kind] = (kinds[kind] ?? 0) + 1;
  return kinds;
}

type RpcAnswer = { result?: Record<string, unknown>; error?: { code: number; message: string; data?: { field?: string } } };
const call = (method: string, params?: unknown) => server.rpc(method, params) as Promise<RpcAnswer>;

describe('code commands over POST /rpc', () => {
  it('list_projects lists the indexed projects', async () => {
    expect((await call('list_projects')).result).toEqual({ projects: [project] });
    expect((await call('list_projects', {})).result).toEqual({ projects: [project] });
  });

  it('list_files lists a project\'s files in path order', async () => {
    const { result } = await call('list_files', { project: project.id });
    const files = result!.files as Array<Record<string, unknown>>;
    expect(files.map((file) => file.path)).toEqual(['sample/__init__.py', 'sample/broken.py', 'sample/shapes.py', 'sample/util.py']);
    expect(files[2]).toMatchObject({ language: 'python', lines: 52, parse_error: null });
    expect(files[1]!.parse_error).toEqual(expect.any(String));
  });

  it('project_stats counts the project', async () => {
    const { result } = await call('project_stats', { project: project.id });
    expect(result).toMatchObject({
      project,
      files: 4,
      parse_errors: 1,
      languages: { python: 4 },
      symbols: await expectedKinds(),
    });
  });

  it('file_symbols gives the symbols with line ranges and parents', async () => {
    const { result } = await call('file_symbols', { project: project.id, path: 'sample/shapes.py' });
    expect(result!.file).toMatchObject({ path: 'sample/shapes.py' });
    const symbols = result!.symbols as Array<Record<string, unknown>>;
    expect(symbols.find((symbol) => symbol.qualified_name === 'Square.Meta.describe')).toMatchObject({
      kind: 'method',
      parent: 'Square.Meta',
      line_start: 51,
      line_end: 52,
    });
  });

  it('file_tree parses the file again for its syntax tree (none is stored), and says it is what was indexed', async () => {
    const { result } = await call('file_tree', { project: project.id, path: 'sample/util.py' });
    expect(result).toMatchObject({ file: { path: 'sample/util.py' }, truncated: false, error: null, changed: false, tree: { type: 'module', start: [0, 0] } });
    const broken = await call('file_tree', { project: project.id, path: 'sample/broken.py' });
    expect(broken.result).toMatchObject({ changed: false, error: expect.stringMatching(/^syntax error at \d+:\d+$/) });
  });

  it('search_symbols finds by name and docstring, with kind, project and limit', async () => {
    const { result } = await call('search_symbols', { query: 'area' });
    const names = (result!.symbols as Array<{ qualified_name: string; kind: string }>).map((hit) => hit.qualified_name);
    expect(names.slice(0, 3).sort()).toEqual(['Circle.area', 'Shape.area', 'Square.area']);
    const classes = await call('search_symbols', { query: 'Circle', kind: 'class', project: project.id, limit: 5 });
    expect(classes.result).toEqual({
      symbols: [expect.objectContaining({ name: 'Circle', kind: 'class', path: 'sample/shapes.py', line_start: 25, line_end: 38, project: project.root })],
    });
    expect((await call('search_symbols', { query: 'area', limit: 1 })).result!.symbols).toHaveLength(1);
  });

  it('takes the project by id, name or root', async () => {
    for (const ref of [project.id, String(project.id), project.name, project.root, `${project.root}/`]) {
      expect((await call('project_stats', { project: ref })).result, String(ref)).toMatchObject({ project });
    }
  });

  it('refuses a path leading out of the project root', async () => {
    for (const path of ['../etc/passwd', 'sample/../../x.py', '/etc/passwd']) {
      const { error } = await call('file_symbols', { project: project.id, path });
      expect(error, path).toMatchObject({ code: 5, data: { field: 'path' } });
    }
  });

  it('answers NOT_FOUND for an unknown project or path', async () => {
    for (const [method, params, field] of [
      ['list_files', { project: 999 }, 'project'],
      ['list_files', { project: 'no-such-project' }, 'project'],
      ['project_stats', { project: 999 }, 'project'],
      ['file_symbols', { project: 999, path: 'sample/util.py' }, 'project'],
      ['file_symbols', { project: project.id, path: 'nope.py' }, 'path'],
      ['file_tree', { project: project.id, path: 'sample/missing.py' }, 'path'],
    ] as const) {
      const { error } = await call(method, params);
      expect(error, `${method} ${JSON.stringify(params)}`).toMatchObject({ code: NOT_FOUND, data: { field } });
    }
  });

  it('answers VALIDATION_ERROR naming the field, and stays up', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['list_files', { project: true }, 'params.project'],
      ['list_files', {}, 'params.project'],
      ['project_stats', { project: 1.5 }, 'params.project'],
      ['project_stats', { project: project.id, project_id: project.id }, 'params.project_id'],
      ['file_symbols', { project: project.id }, 'params.path'],
      ['file_tree', { project: project.id, path: '' }, 'params.path'],
      ['search_symbols', { query: 'a', kind: 'enum' }, 'params.kind'],
      ['search_symbols', { query: 'a', limit: 0 }, 'params.limit'],
      ['search_symbols', {}, 'params.query'],
      ['list_projects', { extra: 1 }, 'params.extra'],
    ];
    for (const [method, params, field] of cases) {
      const { error } = await call(method, params);
      expect(error, `${method} ${JSON.stringify(params)}`).toMatchObject({ code: VALIDATION_ERROR, data: { field } });
      expect(error!.message).toContain(field);
    }
    expect((await call('list_projects')).result).toBeDefined();
  });

  it('keeps injection attempts in the query and path harmless', async () => {
    for (const query of ["x'); DROP TABLE symbols; --", '" OR 1=1 --', 'NEAR(area', 'area*" OR "x']) {
      const { result, error } = await call('search_symbols', { query });
      expect(error, query).toBeUndefined();
      expect(result!.symbols).toEqual(expect.any(Array));
    }
    const { error } = await call('file_symbols', { project: project.id, path: "' OR '1'='1" });
    expect(error).toMatchObject({ code: NOT_FOUND });
    expect((await call('list_files', { project: project.id })).result!.files).toHaveLength(4);
    expect(unexpected).toEqual([]);
  });

  it('answers CONNECTION_ERROR while the index is not available', async () => {
    const answer = (await unavailable.rpc('list_projects')) as RpcAnswer;
    expect(answer.error).toMatchObject({ code: CONNECTION_ERROR });
    expect(((await unavailable.rpc('list_files', { project: 1.5 })) as RpcAnswer).error).toMatchObject({ code: VALIDATION_ERROR });
  });
});
