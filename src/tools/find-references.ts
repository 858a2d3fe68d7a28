import * as v from 'valibot';
import type { FileRecord, Project } from '../db/code-database.ts';
import type { StoredReference } from '../db/code-types.ts';
import type { CodeTools } from './context.ts';
import { FilePath, Limit, ProjectRef, Text } from './fields.ts';
import { freshen } from './freshness.ts';
import { resolveIndexedFile, resolveProject } from './project-ref.ts';
import { plural, reindexedNote } from './render.ts';
import { Line, Reindexed } from './shapes.ts';
import { SourceFiles } from './source-file.ts';
import { tool } from './tool.ts';

/** A line's text is cut past this many characters (minified code). */
const MAX_TEXT = 300;

const ReferenceShape = v.object({
  name: v.string(),
  kind: v.picklist(['call', 'attribute', 'import', 'type', 'name']),
  /** The project's root. */
  project: v.string(),
  path: v.string(),
  line: Line,
  column: v.pipe(Line, v.description('1-based, in UTF-16 code units (characters for most text).')),
  enclosing: v.pipe(v.nullable(v.string()), v.description('Qualified name of the innermost class, function or method around it; null at module level.')),
  text: v.pipe(v.nullable(v.string()), v.description('The line as it is in the file now (null when the file cannot be read).')),
});

type Found = { references: StoredReference[]; projects: Map<number, Project> };

async function look(tools: CodeTools, name: string, projectId: number | undefined, path: string | undefined, limit: number): Promise<Found> {
  const references = await tools.code.references(name, { projectId, path, limit: limit + 1 });
  const projects = new Map<number, Project>();
  for (const id of new Set(references.map((reference) => reference.project_id))) {
    const project = await tools.code.project(id);
    if (project) projects.set(id, project);
  }
  return { references, projects };
}

/** The files the references are in, as the index holds them (for the freshness check): one query per project. */
async function filesOf(tools: CodeTools, found: Found): Promise<Array<{ project: Project; file: FileRecord }>> {
  const out = [];
  for (const project of found.projects.values()) {
    const paths = found.references.filter((reference) => reference.project_id === project.id).map((reference) => reference.path);
    for (const file of await tools.code.filesAt(project.id, paths)) out.push({ project, file });
  }
  return out;
}

/** Each reference's line, read from its file now (the files read at once, each once). */
async function withText(tools: CodeTools, found: Found) {
  const sources = new SourceFiles(tools);
  const keyOf = (reference: StoredReference) => `${reference.project_id}:${reference.path}`;
  const unique = new Map(found.references.map((reference) => [keyOf(reference), reference]));
  const texts = new Map(
    await Promise.all(
      [...unique].map(async ([key, reference]) => [key, await sources.linesOrNull({ project: found.projects.get(reference.project_id)!, path: reference.path })] as const),
    ),
  );
  return found.references.map((reference) => {
    const line = texts.get(keyOf(reference))?.[reference.line - 1];
    const { project_id: id, ...rest } = reference;
    return { ...rest, project: found.projects.get(id)!.root, text: line === undefined ? null : line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT)} …` : line };
  });
}

export const findReferences = tool({
  name: 'find_references',
  title: 'Find references',
  description:
    'Where a name is used (not defined): calls, attribute reads, imports, type references and other reads, in the indexed ' +
    'Python, TypeScript and JavaScript files. Each with its file, line, column, the line\'s text and the enclosing symbol ' +
    '(e.g. a call of `encode` inside `dumps`). Files changed since they were indexed are re-indexed first.',
  params: v.strictObject({
    name: Text('The identifier, exactly (no dots): `encode`, `JSONDecoder`, `useState`.', 500),
    project: v.optional(ProjectRef),
    path: v.optional(v.pipe(FilePath, v.description('Only in this file (relative to the project root).'))),
    limit: Limit(100, 1_000),
  }),
  result: v.object({
    references: v.array(ReferenceShape),
    more: v.pipe(v.boolean(), v.description('Whether more references exist past the limit.')),
    reindexed: Reindexed,
  }),
  mcp: true,
  run: async (tools, { name, project: projectRef, path, limit }) => {
    const file = path === undefined ? undefined : await resolveIndexedFile(tools, projectRef, path);
    const projectId = file?.project.id ?? (projectRef === undefined ? undefined : (await resolveProject(tools, projectRef)).id);
    let found = await look(tools, name, projectId, file?.path, limit);
    const reindexed = await freshen(tools, await filesOf(tools, found));
    if (reindexed.length > 0) found = await look(tools, name, projectId, file?.path, limit);
    const more = found.references.length > limit;
    found.references = found.references.slice(0, limit);
    return { references: await withText(tools, found), more, reindexed };
  },
  text: ({ references, more, reindexed }) => {
    const out = [...reindexedNote(reindexed)];
    if (references.length === 0) return [...out, 'No reference found.'].join('\n');
    const files = new Set(references.map((reference) => `${reference.project}/${reference.path}`));
    out.push(`${plural(references.length, 'reference')} in ${plural(files.size, 'file')}${more ? ' (more past the limit)' : ''}:`);
    let current = '';
    for (const reference of references) {
      const file = `${reference.project}/${reference.path}`;
      if (file !== current) out.push(file);
      current = file;
      const where = reference.enclosing ? ` in ${reference.enclosing}` : '';
      out.push(`  ${reference.line}:${reference.column}  ${reference.kind}${where}  |  ${reference.text?.trim() ?? '(file not readable)'}`);
    }
    return out.join('\n');
  },
});
