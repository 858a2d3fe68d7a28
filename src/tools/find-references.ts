import * as v from 'valibot';
import type { FileRecord, Project } from '../db/code-database.ts';
import type { StoredReference } from '../db/code-types.ts';
import { RpcError } from '../ipc/errors.ts';
import type { CodeTools } from './context.ts';
import { FilePath, Limit, ProjectRef, Text } from './fields.ts';
import { freshen } from './freshness.ts';
import { resolveIndexedFile, resolveProject } from './project-ref.ts';
import { plural, reindexedNote } from './render.ts';
import { Line, Reindexed } from './shapes.ts';
import { readProjectFile } from './source-file.ts';
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

/** The files the references are in, as the index holds them (for the freshness check). */
async function filesOf(tools: CodeTools, found: Found): Promise<Array<{ project: Project; file: FileRecord }>> {
  const files: Array<{ project: Project; file: FileRecord }> = [];
  const seen = new Set<string>();
  for (const reference of found.references) {
    const key = `${reference.project_id}:${reference.path}`;
    const project = found.projects.get(reference.project_id);
    if (seen.has(key) || !project) continue;
    seen.add(key);
    const file = await tools.code.file(project.id, reference.path);
    if (file) files.push({ project, file });
  }
  return files;
}

/** Each reference's line, read from its file now (each file read once). */
async function withText(tools: CodeTools, found: Found) {
  const lines = new Map<string, string[] | null>();
  const out = [];
  for (const reference of found.references) {
    const project = found.projects.get(reference.project_id)!;
    const key = `${project.id}:${reference.path}`;
    if (!lines.has(key)) {
      const read = await readProjectFile(tools, { project, path: reference.path }).catch((error: unknown) => {
        if (error instanceof RpcError) return null;
        throw error;
      });
      lines.set(key, read?.lines ?? null);
    }
    const line = lines.get(key)?.[reference.line - 1];
    const text = line === undefined ? null : line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT)} …` : line;
    const { project_id: _id, ...rest } = reference;
    out.push({ ...rest, project: project.root, text });
  }
  return out;
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
    const reindexed: string[] = [];
    for (const { project, file: record } of await filesOf(tools, found)) reindexed.push(...(await freshen(tools, project, [record])));
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
