import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type { FileRecord, Project } from '../db/code-database.ts';
import { RpcError } from '../ipc/errors.ts';
import type { CodeTools } from './context.ts';

/** A file named by a tool's arguments: its project and its path relative to the project root. */
export interface FileTarget {
  project: Project;
  /** Relative to the project root, '/' separators, normalized. */
  path: string;
}

const LISTED = 10;

/** How the tools name a project in their answers: id, name and root. */
export const projectIdentity = ({ id, name, root }: Project) => ({ id, name, root });

function describeProjects(projects: Project[]): string {
  if (projects.length === 0) return 'no project is indexed yet';
  const listed = projects.slice(0, LISTED).map((project) => `${project.name} (id ${project.id}, ${project.root})`);
  return `projects: ${listed.join(', ')}${projects.length > LISTED ? `, and ${projects.length - LISTED} more` : ''}`;
}

/** Whether `path` is `dir` or inside it; both absolute and normalized. */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The project a tool's `project` argument names: an id, a root directory, or a name. */
export async function resolveProject(tools: CodeTools, ref: number | string, field = 'project'): Promise<Project> {
  const { code } = tools;
  if (typeof ref === 'number') {
    const project = await code.project(ref);
    if (project) return project;
  } else if (isAbsolute(ref)) {
    const project = await code.projectByRoot(resolve(ref));
    if (project) return project;
  } else {
    const named = (await code.projects()).filter((project) => project.name === ref);
    if (named.length === 1) return named[0]!;
    if (named.length > 1) {
      throw new RpcError('VALIDATION_ERROR', `${field}: several projects are named "${ref}"; give its id or root instead (${describeProjects(named)})`, { field });
    }
    const byId = /^\d+$/.test(ref) ? await code.project(Number(ref)) : null;
    if (byId) return byId;
  }
  throw new RpcError('NOT_FOUND', `${field}: no project ${JSON.stringify(ref)} (${describeProjects(await code.projects())})`, { field });
}

/**
 * The file a tool's `path` (and optional `project`) argument names. A relative path must
 * stay inside the root (no `..`); an absolute one must lie inside a project root. Without
 * a project, the one project holding that file is meant (indexed first, else on disk).
 */
export async function resolveFile(tools: CodeTools, projectRef: number | string | undefined, path: string, field = 'path'): Promise<FileTarget> {
  const project = projectRef === undefined ? undefined : await resolveProject(tools, projectRef);
  if (isAbsolute(path)) {
    const absolute = resolve(path);
    const candidates = project ? [project] : await tools.code.projects();
    // The deepest root wins: a project may sit inside another.
    const holder = candidates.filter((candidate) => isInside(absolute, candidate.root)).sort((a, b) => b.root.length - a.root.length)[0];
    if (!holder) {
      const where = project ? `the root of project ${project.name} (${project.root})` : 'any indexed project root';
      throw new RpcError('PERMISSION_DENIED', `${field}: ${path} is outside ${where}`, { field });
    }
    return { project: holder, path: relative(holder.root, absolute).split(sep).join('/') };
  }
  const normalized = posix.normalize(path.replaceAll('\\', '/'));
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new RpcError('PERMISSION_DENIED', `${field}: ${path} leads outside the project root`, { field });
  }
  const relativePath = normalized === '.' ? '' : normalized.replace(/\/$/, '');
  if (project) return { project, path: relativePath };
  return { project: await projectHolding(tools, relativePath, field), path: relativePath };
}

async function projectHolding(tools: CodeTools, path: string, field: string): Promise<Project> {
  const projects = await tools.code.projects();
  if (projects.length === 1) return projects[0]!;
  let holders: Project[] = [];
  for (const project of projects) if (await tools.code.file(project.id, path)) holders.push(project);
  if (holders.length === 0) {
    for (const project of projects) if ((await tools.fs.stat(join(project.root, path)))?.isFile) holders.push(project);
  }
  if (holders.length === 1) return holders[0]!;
  if (holders.length === 0) throw new RpcError('NOT_FOUND', `${field}: no project holds ${path} (${describeProjects(projects)})`, { field });
  throw new RpcError('VALIDATION_ERROR', `${field}: ${path} is in several projects; say which with "project" (${describeProjects(holders)})`, {
    field: 'project',
  });
}

/** A file the index holds, named by a tool's `project` and `path` arguments. */
export async function resolveIndexedFile(tools: CodeTools, projectRef: number | string | undefined, path: string): Promise<FileTarget & { file: FileRecord }> {
  const target = await resolveFile(tools, projectRef, path);
  const file = await tools.code.file(target.project.id, target.path);
  if (!file) {
    const { project } = target;
    throw new RpcError('NOT_FOUND', `path: no indexed file ${target.path} in project ${project.name} (${project.root})`, { field: 'path' });
  }
  return { ...target, file };
}
