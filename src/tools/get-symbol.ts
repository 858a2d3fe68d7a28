import * as v from 'valibot';
import type { FileRecord, LocatedSymbol, Project } from '../db/code-database.ts';
import { RpcError } from '../ipc/errors.ts';
import type { CodeTools } from './context.ts';
import { FilePath, ProjectRef, Text } from './fields.ts';
import { freshen } from './freshness.ts';
import { projectIdentity, resolveIndexedFile, resolveProject } from './project-ref.ts';
import { lineRange, numbered, plural, reindexedNote } from './render.ts';
import { Line, ProjectRefShape, Reindexed, SymbolRefShape, SymbolShape } from './shapes.ts';
import { SourceFiles, type SourceText } from './source-file.ts';
import { tool } from './tool.ts';

/** Matches described in full; more are counted. */
const MAX_MATCHES = 10;
/** Source lines given per symbol; read_source pages through the rest. */
export const MAX_SYMBOL_LINES = 400;

const SymbolDetail = v.object({
  ...SymbolShape.entries,
  project: ProjectRefShape,
  path: v.string(),
  children: v.array(SymbolRefShape),
  source: v.pipe(v.nullable(v.string()), v.description("The symbol's lines as they are in the file now (null when the file cannot be read: see source_error).")),
  source_line_end: v.pipe(v.nullable(Line), v.description('Last line included in source (less than line_end when the symbol is longer than the lines given).')),
  source_error: v.nullable(v.string()),
});

type Detail = v.InferOutput<typeof SymbolDetail>;

/** Each file's lines, read once however many of the symbols it holds (an unreadable one: why). */
function fileTexts(tools: CodeTools): (project: Project, file: FileRecord) => Promise<SourceText | RpcError> {
  const files = new SourceFiles(tools);
  const texts = new Map<number, Promise<SourceText | RpcError>>();
  return (project, file) => {
    let text = texts.get(file.id);
    if (!text) {
      text = files.read({ project, path: file.path }).catch((error: unknown) => {
        if (error instanceof RpcError) return error;
        throw error;
      });
      texts.set(file.id, text);
    }
    return text;
  };
}

function detail(project: Project, file: FileRecord, symbol: LocatedSymbol, children: LocatedSymbol[], text: SourceText | RpcError): Detail {
  const { file_id: _file, project_id: _project, ...stored } = symbol;
  const base = {
    ...stored,
    project: projectIdentity(project),
    path: file.path,
    children: children.map(({ name, kind, qualified_name, line_start, line_end }) => ({ name, kind, qualified_name, line_start, line_end })),
  };
  if (text instanceof RpcError) return { ...base, source: null, source_line_end: null, source_error: text.message };
  const last = Math.min(symbol.line_end, symbol.line_start + MAX_SYMBOL_LINES - 1, text.lines.length);
  return { ...base, source: text.lines.slice(symbol.line_start - 1, last).join('\n'), source_line_end: last, source_error: null };
}

/** The symbols and, by file id, each one's file and project. */
async function lookUp(tools: CodeTools, qualifiedName: string, projectId: number | undefined, fileId: number | undefined) {
  const symbols = await tools.code.symbolsNamed(qualifiedName, { projectId, fileId, limit: MAX_MATCHES + 1 });
  const files = await tools.code.filesByIds(symbols.map((symbol) => symbol.file_id));
  const projects = new Map<number, Project>();
  for (const id of new Set(symbols.map((symbol) => symbol.project_id))) {
    const project = await tools.code.project(id);
    if (project) projects.set(id, project);
  }
  const places = new Map<number, { file: FileRecord; project: Project }>();
  for (const file of files) {
    const project = projects.get(symbols.find((symbol) => symbol.file_id === file.id)!.project_id);
    if (project) places.set(file.id, { file, project });
  }
  return { symbols: symbols.filter((symbol) => places.has(symbol.file_id)), places };
}

export const getSymbol = tool({
  name: 'get_symbol',
  title: 'Get a symbol',
  description:
    'One symbol by its qualified name (`Class.method`, `outer.inner`, or a plain name): where it is, its kind, signature, ' +
    'docstring, parent and children, and its source text read from the file. A file that changed since it was indexed is ' +
    're-indexed first (listed under "reindexed").',
  params: v.strictObject({
    qualified_name: Text('The qualified name, e.g. `JSONDecoder.raw_decode`; a name without its parents finds every symbol ending with it.', 1_000),
    project: v.optional(ProjectRef),
    path: v.optional(v.pipe(FilePath, v.description('Only in this file (relative to the project root).'))),
  }),
  result: v.object({
    symbols: v.array(SymbolDetail),
    more: v.pipe(v.boolean(), v.description(`Whether more than ${MAX_MATCHES} symbols match (narrow with project or path).`)),
    reindexed: Reindexed,
  }),
  mcp: true,
  run: async (tools, { qualified_name, project: projectRef, path }) => {
    const file = path === undefined ? undefined : await resolveIndexedFile(tools, projectRef, path);
    const projectId = file?.project.id ?? (projectRef === undefined ? undefined : (await resolveProject(tools, projectRef)).id);
    let found = await lookUp(tools, qualified_name, projectId, file?.file.id);
    const reindexed = await freshen(tools, [...found.places.values()]);
    if (reindexed.length > 0) {
      // Re-indexing gave the file and its symbols new rows: look again.
      const refreshed = path === undefined ? undefined : await resolveIndexedFile(tools, projectRef, path);
      found = await lookUp(tools, qualified_name, projectId, refreshed?.file.id);
    }
    if (found.symbols.length === 0) {
      const where = path ? ` in ${path}` : projectRef === undefined ? '' : ` in project ${projectRef}`;
      throw new RpcError('NOT_FOUND', `qualified_name: no symbol ${qualified_name}${where}; search_symbols (code-analysis search) finds symbols by part of their name`, {
        field: 'qualified_name',
      });
    }
    const shown = found.symbols.slice(0, MAX_MATCHES);
    const children = await tools.code.childrenOf(
      shown.map((symbol) => symbol.file_id),
      shown.map((symbol) => symbol.qualified_name),
    );
    const textOf = fileTexts(tools);
    const symbols = await Promise.all(
      shown.map(async (symbol) => {
        const { project, file: record } = found.places.get(symbol.file_id)!;
        const own = children.filter((child) => child.file_id === symbol.file_id && child.parent === symbol.qualified_name);
        return detail(project, record, symbol, own, await textOf(project, record));
      }),
    );
    return { symbols, more: found.symbols.length > MAX_MATCHES, reindexed };
  },
  text: ({ symbols, more, reindexed }) =>
    [
      ...reindexedNote(reindexed),
      ...(symbols.length > 1 ? [`${plural(symbols.length, 'symbol')}${more ? ' (and more: narrow with project or path)' : ''}:`] : []),
      ...symbols.map(describe),
    ].join('\n\n'),
});

function describe(symbol: Detail): string {
  const lines = [
    `${symbol.kind} ${symbol.qualified_name}  ${lineRange(`${symbol.project.root}/${symbol.path}`, symbol.line_start, symbol.line_end)}`,
    ...(symbol.parent ? [`parent: ${symbol.parent}`] : []),
    ...(symbol.signature ? [`signature: ${symbol.signature}`] : []),
    ...(symbol.docstring ? [`docstring: ${symbol.docstring}`] : []),
    ...(symbol.children.length ? [`children: ${symbol.children.map((child) => `${child.name} (${child.kind}, line ${child.line_start})`).join(', ')}`] : []),
  ];
  if (symbol.source === null) lines.push(`source: not available (${symbol.source_error})`);
  else {
    lines.push(numbered(symbol.source.split('\n'), symbol.line_start));
    if (symbol.source_line_end! < symbol.line_end) {
      lines.push(`… ${symbol.line_end - symbol.source_line_end!} more lines: read_source {path: "${symbol.path}", line_start: ${symbol.source_line_end! + 1}}`);
    }
  }
  return lines.join('\n');
}
