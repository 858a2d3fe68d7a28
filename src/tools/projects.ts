import * as v from 'valibot';
import { syntaxTreeOf } from '../analysis/syntax-tree-reader.ts';
import { FilePath, ProjectRef } from './fields.ts';
import { resolveIndexedFile, resolveProject } from './project-ref.ts';
import { plural } from './render.ts';
import { Count, Counts, FileShape, ProjectShape, SymbolShape } from './shapes.ts';
import { SourceFiles } from './source-file.ts';
import { tool } from './tool.ts';

const ProjectParams = v.strictObject({ project: ProjectRef });
const FileParams = v.strictObject({ project: v.optional(ProjectRef), path: FilePath });

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ') || 'none';

export const listProjects = tool({
  name: 'list_projects',
  title: 'List projects',
  description: 'The indexed projects (each watched or indexed directory is one): id, name, root directory, when last scanned.',
  params: v.strictObject({}),
  result: v.object({ projects: v.array(ProjectShape) }),
  mcp: true,
  run: async (tools) => ({ projects: await tools.code.projects() }),
  text: ({ projects }) =>
    projects.length === 0
      ? 'No project is indexed yet.'
      : [`${plural(projects.length, 'project')}:`, ...projects.map((p) => `  ${p.id}  ${p.name}  ${p.root}  (last scan: ${p.last_scan_at ?? 'never'})`)].join('\n'),
});

export const projectStats = tool({
  name: 'project_stats',
  title: 'Project statistics',
  description: "A project's size in the index: files, lines, files with parse errors, symbols per kind, files per language.",
  params: ProjectParams,
  result: v.object({ project: ProjectShape, files: Count, lines: Count, parse_errors: Count, symbols: Counts, languages: Counts }),
  mcp: true,
  run: async (tools, { project: ref }) => {
    const project = await resolveProject(tools, ref);
    return { project, ...(await tools.code.stats(project.id)) };
  },
  text: (stats) =>
    `${stats.project.name} (${stats.project.root}): ${plural(stats.files, 'file')}, ${plural(stats.lines, 'line')}, ` +
    `${stats.parse_errors} with parse errors; symbols: ${counts(stats.symbols)}; languages: ${counts(stats.languages)}`,
});

export const listFiles = tool({
  name: 'list_files',
  title: 'List files',
  description: "A project's indexed files, in path order.",
  params: ProjectParams,
  result: v.object({ files: v.array(FileShape) }),
  mcp: false,
  run: async (tools, { project: ref }) => ({ files: await tools.code.files((await resolveProject(tools, ref)).id) }),
  text: ({ files }) => files.map((file) => `${file.path}  ${file.language}  ${plural(file.lines, 'line')}${file.parse_error ? `  (${file.parse_error})` : ''}`).join('\n'),
});

export const fileSymbols = tool({
  name: 'file_symbols',
  title: "A file's symbols",
  description: "A file's symbols as stored, flat, in source order.",
  params: FileParams,
  result: v.object({ file: FileShape, symbols: v.array(SymbolShape) }),
  mcp: false,
  run: async (tools, { project, path }) => {
    const { file } = await resolveIndexedFile(tools, project, path);
    return { file, symbols: await tools.code.symbolsOf(file.id) };
  },
  text: ({ symbols }) => symbols.map((symbol) => `${symbol.kind.padEnd(8)} ${symbol.qualified_name}  ${symbol.line_start}-${symbol.line_end}`).join('\n'),
});

export const fileTree = tool({
  name: 'file_tree',
  title: "A file's syntax tree",
  description:
    "A file's syntax tree (named nodes, 0-based [row, column] positions, breadth first, at most 20,000), parsed from the file as it is now: `changed` says its content is no longer what was indexed.",
  params: FileParams,
  result: v.object({ file: FileShape, tree: v.unknown(), truncated: v.boolean(), error: v.nullable(v.string()), changed: v.boolean() }),
  mcp: false,
  run: async (tools, { project, path }) => {
    const target = await resolveIndexedFile(tools, project, path);
    // The index stores no trees: the file is read (where it really is, checked) and parsed again.
    const { absolute } = await new SourceFiles(tools).locate(target);
    return { file: target.file, ...(await syntaxTreeOf(tools.fs, tools.parser, absolute, target.file)) };
  },
  text: ({ file, truncated, changed }) => `syntax tree of ${file.path}${truncated ? ' (truncated)' : ''}${changed ? ' (changed since indexed)' : ''}`,
});
