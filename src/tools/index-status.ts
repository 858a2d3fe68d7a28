import * as v from 'valibot';
import type { Project } from '../db/code-database.ts';
import type { CodeTools } from './context.ts';
import { ProjectRef } from './fields.ts';
import type { IndexerProgress } from './indexer-link.ts';
import { projectIdentity, resolveProject } from './project-ref.ts';
import { plural } from './render.ts';
import { Count, ProjectRefShape, ScanShape } from './shapes.ts';
import { tool } from './tool.ts';

const ProjectStatus = v.object({
  root: v.string(),
  project: v.pipe(v.nullable(ProjectRefShape), v.description('Null for a watched directory not scanned yet.')),
  files: Count,
  last_scan_at: v.nullable(v.string()),
  watched: v.pipe(v.boolean(), v.description('Whether the indexer worker watches it (and re-indexes it as it changes).')),
  scan: v.pipe(v.nullable(ScanShape), v.description("The latest scan: the indexer worker's, or one this process ran for reindex.")),
});

type Status = v.InferOutput<typeof ProjectStatus>;

async function statusOf(tools: CodeTools, project: Project, watched: IndexerProgress | undefined): Promise<Status> {
  const { files } = await tools.code.stats(project.id);
  const scan = watched ?? tools.scans.progress(project.id) ?? null;
  return { root: project.root, project: projectIdentity(project), files, last_scan_at: project.last_scan_at, watched: watched !== undefined, scan };
}

export const indexStatus = tool({
  name: 'index_status',
  title: 'Indexing status',
  description:
    "How far indexing has got: for each project (or the one given) its files in the index, its last scan, whether the " +
    "indexer worker watches it, and the progress of the latest scan (files seen, indexed, unchanged, failed).",
  params: v.strictObject({ project: v.optional(ProjectRef) }),
  result: v.object({
    indexer: v.pipe(v.picklist(['running', 'not running']), v.description('Whether an indexer worker runs (serve with watched directories).')),
    projects: v.array(ProjectStatus),
  }),
  mcp: true,
  run: async (tools, { project: ref }) => {
    const progress = await tools.indexer.progress();
    const watched = new Map((progress ?? []).map((entry) => [entry.root, entry]));
    const projects = ref === undefined ? await tools.code.projects() : [await resolveProject(tools, ref)];
    const statuses = [];
    for (const project of projects) statuses.push(await statusOf(tools, project, watched.get(project.root)));
    if (ref === undefined) {
      const known = new Set(projects.map((project) => project.root));
      for (const [root, scan] of watched) if (!known.has(root)) statuses.push({ root, project: null, files: 0, last_scan_at: null, watched: true, scan });
    }
    return { indexer: progress === null ? ('not running' as const) : ('running' as const), projects: statuses };
  },
  text: ({ indexer, projects }) =>
    [
      `indexer worker: ${indexer}`,
      ...projects.map((status) => {
        const scan = status.scan;
        const counts = scan?.seen === undefined ? '' : ` (${scan.seen} seen, ${scan.indexed} indexed, ${scan.unchanged} unchanged, ${scan.failed} failed)`;
        const state = scan ? `${scan.state}${counts}${scan.error ? `: ${scan.error}` : ''}` : 'no scan this run';
        const name = status.project ? `${status.project.name} (id ${status.project.id})` : '(not scanned yet)';
        return `${status.root}  ${name}: ${plural(status.files, 'file')}, last scan ${status.last_scan_at ?? 'never'}; ${status.watched ? 'watched' : 'not watched'}; ${state}`;
      }),
    ].join('\n'),
});
