import * as v from 'valibot';
import type { CodeDatabase, FileRecord, Project } from '../db/code-database.ts';
import { RpcError } from '../ipc/errors.ts';
import { validate } from '../ipc/validate.ts';

const Id = v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'));
const ProjectParams = v.strictObject({ project_id: Id });
const FileParams = v.strictObject({ project_id: Id, path: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty')) });
const SearchParams = v.strictObject({
  query: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(500, 'must be at most 500 characters')),
  kind: v.optional(v.picklist(['class', 'function', 'method', 'import'], 'must be class, function, method or import')),
  project_id: v.optional(Id),
  limit: v.optional(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1), v.maxValue(1000)), 50),
});

interface CodeCommand<S extends v.GenericSchema> {
  params: S;
  run(code: CodeDatabase, params: v.InferOutput<S>): Promise<unknown>;
}

const command = <S extends v.GenericSchema>(entry: CodeCommand<S>) => entry as unknown as CodeCommand<v.GenericSchema>;

async function projectOf(code: CodeDatabase, id: number): Promise<Project> {
  const project = await code.project(id);
  if (!project) throw new RpcError('NOT_FOUND', `no project ${id}`, { field: 'project_id' });
  return project;
}

async function fileOf(code: CodeDatabase, projectId: number, path: string): Promise<FileRecord> {
  await projectOf(code, projectId);
  const file = await code.file(projectId, path);
  if (!file) throw new RpcError('NOT_FOUND', `no file ${path} in project ${projectId}`, { field: 'path' });
  return file;
}

/**
 * The code-analysis commands of the HTTP server (issue 5): answered from the index by the
 * server itself, over the CodeDatabase, with the same validation and errors as the
 * driver's methods. POST /rpc and the GET routes share them.
 */
export const CODE_COMMANDS: Readonly<Record<string, CodeCommand<v.GenericSchema>>> = {
  list_projects: command({
    params: v.strictObject({}),
    run: async (code) => ({ projects: await code.projects() }),
  }),
  list_files: command({
    params: ProjectParams,
    run: async (code, { project_id }) => {
      await projectOf(code, project_id);
      return { files: await code.files(project_id) };
    },
  }),
  project_stats: command({
    params: ProjectParams,
    run: async (code, { project_id }) => ({ project: await projectOf(code, project_id), ...(await code.stats(project_id)) }),
  }),
  file_symbols: command({
    params: FileParams,
    run: async (code, { project_id, path }) => {
      const file = await fileOf(code, project_id, path);
      return { file, symbols: await code.symbolsOf(file.id) };
    },
  }),
  file_tree: command({
    params: FileParams,
    run: async (code, { project_id, path }) => {
      const file = await fileOf(code, project_id, path);
      // Parsed again from the file (the index stores no trees); `changed` says it is no longer what was indexed.
      const fresh = await code.syntaxTree(await projectOf(code, project_id), file);
      if (!fresh) throw new RpcError('NOT_FOUND', `${path} is no longer on disk`, { field: 'path' });
      return { file, ...fresh };
    },
  }),
  search_symbols: command({
    params: SearchParams,
    run: async (code, { query, kind, project_id, limit }) => ({ symbols: await code.search(query, { kind, projectId: project_id, limit }) }),
  }),
};

export function isCodeCommand(method: string): boolean {
  return Object.hasOwn(CODE_COMMANDS, method);
}

/** Validate and run one code command; errors are RpcErrors naming the field. */
export async function runCodeCommand(code: CodeDatabase | undefined, method: string, params: unknown): Promise<unknown> {
  const spec = CODE_COMMANDS[method]!;
  const input = validate(spec.params, params ?? {}, { prefix: 'params' });
  if (!code) throw new RpcError('CONNECTION_ERROR', 'the code index is not available (the database is not ready)');
  return spec.run(code, input);
}
