import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type CallToolResult, ErrorCode, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFile, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonSchemaOf } from '../../src/mcp/tool-list.ts';
import { CODE_TOOLS } from '../../src/tools/registry.ts';
import { expectedSymbols, type ExpectedSymbol } from '../helpers/expected-symbols.ts';
import { LONG_FILE_LINES, type SampleProjects } from '../helpers/mcp-projects.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { astReferences } from '../helpers/python-ast.ts';
import { typescriptReferences } from '../helpers/typescript-references.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** The tools issue 10 names, with the arguments each one requires. */
export const EXPECTED_TOOLS: Record<string, string[]> = {
  search_symbols: ['query'],
  semantic_search: ['query'],
  get_symbol: ['qualified_name'],
  file_outline: ['path'],
  read_source: ['path'],
  find_references: ['name'],
  list_projects: [],
  project_stats: ['project'],
  index_status: [],
  reindex: ['project'],
};

type Structured = Record<string, any>;

/** Call a tool that must succeed; its structured content (the SDK client has checked it against the output schema). */
export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Structured & { text: string }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  expect(result.isError, `${name} ${JSON.stringify(args)} failed: ${text}`).toBeFalsy();
  expect(text.length).toBeGreaterThan(0);
  return { ...(result.structuredContent as Structured), text };
}

/** Call a tool that must fail as a tool error (isError), not a protocol error; its text. */
export async function toolError(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  expect(result.isError, `${name} ${JSON.stringify(args)} should fail, answered: ${text}`).toBe(true);
  expect(result.structuredContent).toBeUndefined();
  return text;
}

const expected = {
  py: expectedSymbols(join(REPO_ROOT, 'test_data/projects/py-sample')),
  ts: expectedSymbols(join(REPO_ROOT, 'test_data/projects/ts-sample')),
};

type Nested = { qualified_name: string; children: Nested[] };

/** The test's own nesting of a file's expected symbols, by parent and line range. */
function expectedOutline(symbols: ExpectedSymbol[], path: string): Nested[] {
  const inFile = symbols.filter((symbol) => symbol.path === path).sort((a, b) => a.line_start - b.line_start);
  const nodes = inFile.map((symbol) => ({ symbol, node: { qualified_name: symbol.qualified_name, children: [] as Nested[] } }));
  const roots: Nested[] = [];
  for (const { symbol, node } of nodes) {
    const parent = nodes.filter(
      (other) => other.symbol.kind !== 'import' && other.symbol.qualified_name === symbol.parent && other.symbol.line_start <= symbol.line_start && symbol.line_end <= other.symbol.line_end,
    );
    (parent.length ? parent[parent.length - 1]!.node.children : roots).push(node);
  }
  return roots;
}

const strip = (nodes: Array<Nested & Record<string, unknown>>): Nested[] => nodes.map((node) => ({ qualified_name: node.qualified_name, children: strip(node.children as never) }));

export interface ToolSpecSetup {
  client: () => Client;
  projects: () => SampleProjects;
  /** Whether an indexer watches the projects (then a changed file may be re-indexed by it first). */
  watched: boolean;
}

/**
 * What every door onto the MCP tools must do (in process over HTTP, a real serve over
 * HTTP, the real `code-analysis mcp` over stdio), driven by the SDK's own Client.
 */
export function describeToolSpec(setup: ToolSpecSetup): void {
  let tools: Tool[];
  const client = () => setup.client();
  const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n');

  beforeAll(async () => {
    tools = (await client().listTools()).tools;
  });

  describe('tools/list', () => {
    it('lists exactly the tools, each with schemas generated from its valibot schemas', () => {
      expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(EXPECTED_TOOLS).sort());
      const draft7 = new Ajv({ strict: false });
      const draft2020 = new Ajv2020({ strict: false });
      for (const tool of tools) {
        const spec = CODE_TOOLS[tool.name]!;
        expect(tool.inputSchema, tool.name).toEqual(jsonSchemaOf(spec.params));
        expect(tool.outputSchema, tool.name).toEqual(jsonSchemaOf(spec.result));
        expect(tool.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
        expect((tool.inputSchema.required ?? []).sort(), tool.name).toEqual([...EXPECTED_TOOLS[tool.name]!].sort());
        for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
          expect((schema as { description?: string }).description, `${tool.name}.${field} has no description`).toMatch(/\w{3,}/);
        }
        expect(tool.outputSchema?.type).toBe('object');
        expect(tool.description!.length, tool.name).toBeGreaterThan(40);
        expect(tool.annotations).toMatchObject({ readOnlyHint: !spec.writes, openWorldHint: false });
        // Both dialects a client may apply (the protocol's 2020-12, the SDK's draft-07) compile them.
        for (const ajv of [draft7, draft2020]) {
          ajv.compile(tool.inputSchema);
          ajv.compile(tool.outputSchema!);
        }
      }
    });
  });

  describe('tools/call on the test_data projects', () => {
    it('list_projects and project_stats', async () => {
      const { projects } = await call(client(), 'list_projects', {});
      expect(projects.map((project: Structured) => [project.name, project.root]).sort()).toEqual([
        ['py-sample', setup.projects().py],
        ['ts-sample', setup.projects().ts],
      ]);
      const kinds: Record<string, number> = {};
      for (const { kind } of expected.py) kinds[kind] = (kinds[kind] ?? 0) + 1;
      const stats = await call(client(), 'project_stats', { project: 'py-sample' });
      expect(stats).toMatchObject({ project: { root: setup.projects().py }, files: 4, parse_errors: 1, symbols: kinds, languages: { python: 4 } });
      expect(stats.text).toContain('4 files');
      const byRoot = await call(client(), 'project_stats', { project: setup.projects().ts });
      expect(byRoot.project.name).toBe('ts-sample');
      expect((await call(client(), 'project_stats', { project: byRoot.project.id })).files).toBe(byRoot.files);
    });

    it('search_symbols, across projects and within one', async () => {
      const { symbols, text } = await call(client(), 'search_symbols', { query: 'Circle', kind: 'class' });
      expect(symbols.map((hit: Structured) => [hit.project, hit.path, hit.line_start, hit.line_end]).sort()).toEqual(
        [
          [setup.projects().py, 'sample/shapes.py', 25, 38],
          [setup.projects().ts, 'src/shapes.ts', 27, 49],
        ].sort(),
      );
      expect(text).toContain(`class    Circle  ${setup.projects().py}/sample/shapes.py:25-38`);
      const limited = await call(client(), 'search_symbols', { query: 'area', project: 'py-sample', limit: 2 });
      expect(limited.symbols).toHaveLength(2);
      expect(limited.symbols.every((hit: Structured) => hit.project === setup.projects().py)).toBe(true);
    });

    it('semantic_search without vectors yet: the full-text ranking, and a notice that says so (never a silent fallback)', async () => {
      const answer = await call(client(), 'semantic_search', { query: 'draw on a canvas', project: 'py-sample' });
      expect(answer.symbols[0]).toMatchObject({ qualified_name: 'Circle.draw', project: setup.projects().py });
      expect(answer.symbols[0].score).toBeGreaterThan(0);
      expect(answer.vectors.ready).toBe(false);
      expect(answer.vectors.notice).toMatch(/vectors are not ready .*has no builtin embedding model yet.*ranking is by full text/);
      expect(answer.vectors.projects).toEqual([expect.objectContaining({ root: setup.projects().py, provider: 'builtin', model_id: null, embedded: 0, ready: false })]);
      expect(await toolError(client(), 'semantic_search', { query: 'draw', limit: 201 })).toMatch(/limit.*at most 200/);
    });

    it('get_symbol: location, signature, docstring, parent, children and the source read from the file', async () => {
      const describe_ = await call(client(), 'get_symbol', { qualified_name: 'Square.Meta.describe', project: 'py-sample' });
      expect(describe_.symbols).toHaveLength(1);
      const file = await lines(join(setup.projects().py, 'sample/shapes.py'));
      expect(describe_.symbols[0]).toMatchObject({
        name: 'describe',
        kind: 'method',
        parent: 'Square.Meta',
        path: 'sample/shapes.py',
        line_start: 51,
        line_end: 52,
        signature: 'def describe(self)',
        children: [],
        source: file.slice(50, 52).join('\n'),
        project: { name: 'py-sample', root: setup.projects().py },
      });
      expect(describe_.text).toContain('    51\t        def describe(self):');

      const square = await call(client(), 'get_symbol', { qualified_name: 'Square', project: setup.projects().py });
      expect(square.symbols[0].children.map((child: Structured) => child.qualified_name)).toEqual(['Square.__init__', 'Square.area', 'Square.Meta']);

      const draw = await call(client(), 'get_symbol', { qualified_name: 'Circle.draw', path: 'sample/shapes.py', project: 'py-sample' });
      expect(draw.symbols[0]).toMatchObject({ docstring: 'Draw on a canvas.', signature: 'async def draw(self, canvas, *, color="black")' });

      // A name without its parents finds every symbol ending with it, in both projects.
      const areas = await call(client(), 'get_symbol', { qualified_name: 'area' });
      const independent = [...expected.py.map((s) => ['py-sample', s] as const), ...expected.ts.map((s) => ['ts-sample', s] as const)]
        .filter(([, symbol]) => symbol.qualified_name === 'area' || symbol.qualified_name.endsWith('.area'))
        .map(([project, symbol]) => `${project}:${symbol.path}:${symbol.qualified_name}:${symbol.line_start}`);
      expect(areas.symbols.map((s: Structured) => `${s.project.name}:${s.path}:${s.qualified_name}:${s.line_start}`).sort()).toEqual(independent.sort());
      expect(areas.reindexed).toEqual([]);
    });

    it('file_outline: nested, in source order, as the file\'s expected symbols nest', async () => {
      for (const [project, path, symbols] of [
        ['py-sample', 'sample/shapes.py', expected.py],
        ['py-sample', 'sample/util.py', expected.py],
        ['ts-sample', 'src/shapes.ts', expected.ts],
        ['ts-sample', 'src/widget.tsx', expected.ts],
      ] as const) {
        const outline = await call(client(), 'file_outline', { path, project });
        expect(strip(outline.symbols), path).toEqual(expectedOutline(symbols, path));
        expect(outline).toMatchObject({ path, reindexed: [] });
      }
      const absolute = await call(client(), 'file_outline', { path: join(setup.projects().py, 'sample/shapes.py') });
      expect(absolute.project.name).toBe('py-sample');
      expect(absolute.text).toContain('  25-38  class Circle(Shape)');
      expect(absolute.text).toContain('    29-30  def area(self) -> float');
    });

    it('read_source: numbered lines, bounded per call, with where to go on', async () => {
      const util = await lines(join(setup.projects().py, 'sample/util.py'));
      const read = await call(client(), 'read_source', { path: 'sample/util.py', project: 'py-sample', line_start: 5, line_end: 7 });
      expect(read).toMatchObject({ line_start: 5, line_end: 7, lines: util.slice(4, 7), next_line_start: 8, total_lines: 34 });
      expect(read.text).toContain('     5\tdef retry(times: int = 3):');
      expect(read.text).toContain('line_start: 8');

      const first = await call(client(), 'read_source', { path: 'notes/long.txt', project: 'py-sample' });
      expect(first).toMatchObject({ line_start: 1, line_end: 200, next_line_start: 201, total_lines: LONG_FILE_LINES });
      expect(first.lines[199]).toBe('line 200');
      const capped = await call(client(), 'read_source', { path: 'notes/long.txt', project: 'py-sample', line_start: 101, line_end: 1000 });
      expect(capped).toMatchObject({ line_start: 101, line_end: 600, next_line_start: 601 });
      expect(capped.lines).toHaveLength(500);
      const last = await call(client(), 'read_source', { path: 'notes/long.txt', project: 'py-sample', line_start: 601 });
      expect(last).toMatchObject({ line_end: LONG_FILE_LINES, next_line_start: null });
      expect(last.text).toContain('(end of file)');
      // A path only one project holds needs no project.
      expect((await call(client(), 'read_source', { path: 'src/widget.tsx' })).project.name).toBe('ts-sample');
    });
  });

  describe('find_references, index_status and reindex on the test_data projects', () => {
    it('find_references: every use the independent parsers count, with its line, enclosing symbol and kind', async () => {
      const py = setup.projects().py;
      // broken.py does not parse, so CPython's ast cannot count it: names that do not occur there.
      const files = ['sample/__init__.py', 'sample/shapes.py', 'sample/util.py'];
      const counted = await astReferences(files.map((file) => join(py, file)));
      for (const name of ['fn', 'asyncio', 'math', 'radius', 'Shape', 'retry', 'ft']) {
        const { references, more } = await call(client(), 'find_references', { name, project: 'py-sample' });
        const independent = files.flatMap((file) => counted[join(py, file)]!.filter(([found]) => found === name).map(([, line, column, kind]) => `${file}:${line}:${column} ${kind}`));
        expect(references.map((r: Structured) => `${r.path}:${r.line}:${r.column} ${r.kind}`).sort(), name).toEqual(independent.sort());
        expect(independent.length, name).toBeGreaterThan(0);
        expect(more).toBe(false);
      }
      const fn = await call(client(), 'find_references', { name: 'fn', project: 'py-sample', path: 'sample/util.py' });
      expect(fn.references.find((r: Structured) => r.line === 16)).toMatchObject({
        kind: 'call',
        enclosing: 'retry.decorator.wrapper',
        text: '                    return fn(*args, **kwargs)',
        project: py,
      });
      expect(fn.text).toContain('16:28  call in retry.decorator.wrapper  |  return fn(*args, **kwargs)');

      const ts = setup.projects().ts;
      const tsFiles = ['src/shapes.ts', 'src/widget.tsx', 'src/store.cjs', 'src/units.mjs', 'src/format.js'];
      for (const name of ['area', 'radius', 'Circle', 'useState', 'join']) {
        const independent = [];
        for (const file of tsFiles) {
          const text = await readFile(join(ts, file), 'utf8');
          for (const [found, line, column, kind] of typescriptReferences(file, text)) if (found === name) independent.push(`${file}:${line}:${column} ${kind}`);
        }
        const { references } = await call(client(), 'find_references', { name, project: 'ts-sample' });
        expect(references.map((r: Structured) => `${r.path}:${r.line}:${r.column} ${r.kind}`).sort(), name).toEqual(independent.sort());
      }

      const limited = await call(client(), 'find_references', { name: 'self', limit: 3 });
      expect(limited).toMatchObject({ more: true });
      expect(limited.references).toHaveLength(3);
      expect((await call(client(), 'find_references', { name: 'no_such_name_anywhere' })).text).toContain('No reference found.');
    });

    it('index_status: the projects, their files, and whether an indexer watches them', async () => {
      const status = await call(client(), 'index_status', {});
      expect(status.indexer).toBe(setup.watched ? 'running' : 'not running');
      const byRoot = new Map(status.projects.map((entry: Structured) => [entry.root, entry]));
      expect(byRoot.get(setup.projects().py)).toMatchObject({ project: { name: 'py-sample' }, files: 4, watched: setup.watched });
      expect(byRoot.get(setup.projects().ts)).toMatchObject({ project: { name: 'ts-sample' }, files: 5, watched: setup.watched });
      if (setup.watched) expect(byRoot.get(setup.projects().py)).toMatchObject({ scan: { state: 'done', seen: 4 } });
      const one = await call(client(), 'index_status', { project: 'ts-sample' });
      expect(one.projects.map((entry: Structured) => entry.root)).toEqual([setup.projects().ts]);
    });

    it('reindex: one file now, a whole project in the background (by the indexer when one watches it)', async () => {
      const file = await call(client(), 'reindex', { project: 'py-sample', path: 'sample/shapes.py' });
      expect(file).toMatchObject({ path: 'sample/shapes.py', by: 'this process', state: 'unchanged', scan: null });
      const before = (await call(client(), 'index_status', { project: 'py-sample' })).projects[0].scan?.finished_at ?? '';
      const whole = await call(client(), 'reindex', { project: 'py-sample' });
      expect(whole).toMatchObject({ path: null, by: setup.watched ? 'indexer' : 'this process', state: setup.watched ? 'requested' : 'started' });
      expect(whole.text).toContain('index_status');
      const done = await waitFor(
        async () => {
          const scan = (await call(client(), 'index_status', { project: 'py-sample' })).projects[0].scan;
          return scan?.state === 'done' && (scan.finished_at ?? '') > before ? scan : undefined;
        },
        { timeoutMs: 30_000, message: 'the rescan of py-sample to finish' },
      );
      expect(done).toMatchObject({ seen: 4, failed: 0 });
    });

    it.each([
      [{ project: 'py-sample', path: 'notes/long.txt' }, /not a file this server parses/],
      [{ project: 'py-sample', path: '../outside/secret.py' }, /outside the project root/],
      [{ project: 'py-sample', path: 'escape-dir/secret.py' }, /symbolic link/],
      [{ project: 'py-sample', path: 'sample/missing.py' }, /no file sample\/missing.py/],
      [{ path: 'sample/util.py' }, /project: is required/],
    ] as Array<[Record<string, unknown>, RegExp]>)('reindex refuses %j', async (args, reason) => {
      expect(await toolError(client(), 'reindex', args)).toMatch(reason);
    });
  });

  describe('bad arguments are tool errors naming the field, and the server keeps serving', () => {
    it.each([
      ['search_symbols', {}, 'query'],
      ['search_symbols', { query: 5 }, 'query'],
      ['search_symbols', { query: 'a', limit: 0 }, 'limit'],
      ['search_symbols', { query: 'a', kind: 'enum' }, 'kind'],
      ['search_symbols', { query: 'a', extra: 1 }, 'extra'],
      ['get_symbol', {}, 'qualified_name'],
      ['get_symbol', { qualified_name: 'nothing_is_called_this' }, 'qualified_name'],
      ['get_symbol', { qualified_name: 'x', project: 999 }, 'project'],
      ['file_outline', { path: '' }, 'path'],
      ['file_outline', { path: 'nope.py', project: 'py-sample' }, 'path'],
      ['file_outline', { path: 'sample/util.py', project: 'no-such-project' }, 'project'],
      ['read_source', { path: 'sample/util.py', project: 'py-sample', line_start: 0 }, 'line_start'],
      ['read_source', { path: 'sample/util.py', project: 'py-sample', line_start: 10, line_end: 5 }, 'line_end'],
      ['read_source', { path: 'sample/util.py', project: 'py-sample', line_start: 9999 }, 'line_start'],
      ['read_source', { path: 'sample', project: 'py-sample' }, 'path'],
      ['project_stats', {}, 'project'],
      ['project_stats', { project: 1.5 }, 'project'],
      ['list_projects', { x: 1 }, 'x'],
      ['find_references', {}, 'name'],
      ['find_references', { name: 'x', limit: 1001 }, 'limit'],
      ['find_references', { name: 'x', path: 'nope.py', project: 'py-sample' }, 'path'],
      ['index_status', { project: 'ghost' }, 'project'],
      ['reindex', { project: 'py-sample', path: 7 }, 'path'],
    ] as Array<[string, Record<string, unknown>, string]>)('%s %j names %s', async (name, args, field) => {
      expect(await toolError(client(), name, args)).toContain(`${field}:`);
    });

    it('an unknown tool is a protocol error (-32602); the server still answers', async () => {
      const failure = await client()
        .callTool({ name: 'drop_everything', arguments: {} })
        .then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(McpError);
      expect((failure as McpError).code).toBe(ErrorCode.InvalidParams);
      expect((await call(client(), 'list_projects', {})).projects).toHaveLength(2);
    });
  });

  describe('nothing is read outside a project root', () => {
    it.each([
      ['a ../ path', () => ({ path: '../outside/secret.py', project: 'py-sample' }), /outside the project root/],
      ['a ../ path into another project', () => ({ path: '../ts-sample/src/shapes.ts', project: 'py-sample' }), /outside the project root/],
      ['an absolute path elsewhere', (p: SampleProjects) => ({ path: p.secret.path }), /outside any indexed project root/],
      ['an absolute path outside the named project', (p: SampleProjects) => ({ path: p.secret.path, project: 'py-sample' }), /outside the root of project py-sample/],
      ['a symbolic link to a file outside', () => ({ path: 'escape.txt', project: 'py-sample' }), /symbolic link/],
      ['a path through a symbolic link to a directory outside', () => ({ path: 'escape-dir/secret.py', project: 'py-sample' }), /symbolic link/],
    ] as Array<[string, (p: SampleProjects) => Record<string, unknown>, RegExp]>)('read_source refuses %s', async (_, args, reason) => {
      const text = await toolError(client(), 'read_source', args(setup.projects()));
      expect(text).toMatch(reason);
      expect(text).not.toContain(setup.projects().secret.text);
    });

    it('get_symbol and file_outline never index nor read what a link leads to', async () => {
      expect(await toolError(client(), 'get_symbol', { qualified_name: 'stolen' })).toContain('no symbol stolen');
      expect(await toolError(client(), 'file_outline', { path: 'escape-dir/secret.py', project: 'py-sample' })).toContain('path:');
    });
  });

  describe.skipIf(setup.watched)('a file changed since it was indexed', () => {
    it('get_symbol re-indexes it first, says so, and answers from the file as it is', async () => {
      const path = join(setup.projects().py, 'sample/util.py');
      const before = await readFile(path, 'utf8');
      await writeFile(path, `# two new lines\n# shift everything\n${before}`);
      const retry = await call(client(), 'get_symbol', { qualified_name: 'retry', project: 'py-sample', path: 'sample/util.py' });
      expect(retry.reindexed).toEqual(['sample/util.py']);
      expect(retry.text).toContain('re-indexed before answering');
      expect(retry.symbols[0]).toMatchObject({ line_start: 7, source: before.split('\n').slice(4, 21).join('\n') });
      expect((await call(client(), 'file_outline', { path: 'sample/util.py', project: 'py-sample' })).reindexed).toEqual([]);
    });

    it('a file replaced by a link out after indexing is dropped from the index, never read', async () => {
      const path = join(setup.projects().py, 'sample/broken.py');
      await unlink(path);
      await symlink(setup.projects().secret.path, path);
      const text = await toolError(client(), 'get_symbol', { qualified_name: 'before', project: 'py-sample' });
      expect(text).toContain('no symbol before');
      expect(text).not.toContain(setup.projects().secret.text);
      expect(await toolError(client(), 'file_outline', { path: 'sample/broken.py', project: 'py-sample' })).toContain('no indexed file');
    });
  });
}
