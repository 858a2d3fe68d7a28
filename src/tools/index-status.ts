import * as v from 'valibot';
import type { Project } from '../db/code-database.ts';
import type { CodeTools } from './context.ts';
import { ProjectRef } from './fields.ts';
import type { IndexerProgress } from './indexer-link.ts';
import { projectIdentity, resolveProject } from './project-ref.ts';
import { plural } from './render.ts';
import { Count, ProjectRefShape, ProjectVectorsShape, ScanShape } from './shapes.ts';
import { tool } from './tool.ts';

const ProjectStatus = v.object({
  root: v.string(),
  project: v.pipe(v.nullable(ProjectRefShape), v.description('Null for a watched directory not scanned yet.')),
  files: Count,
  last_scan_at: v.nullable(v.string()),
  watched: v.pipe(v.boolean(), v.description('Whether the indexer worker watches it (and re-indexes it as it changes).')),
  scan: v.pipe(v.nullable(ScanShape), v.description("The latest scan: the indexer worker's, or one this process ran for reindex.")),
  vectors: v.pipe(
    v.nullable(
      v.object({
        ...ProjectVectorsShape.entries,
        state: v.pipe(v.nullable(v.string()), v.description("The vectorizer worker's state for it (fitting, embedding, ready, failed), null when none runs.")),
        error: v.nullable(v.string()),
      }),
    ),
    v.description('Semantic search: how far its definitions are embedded with the configured provider. Null for a directory not scanned yet.'),
  ),
});

type VectorizerDetails = { projects?: Array<{ project_id?: number; state?: string; error?: string | null }> } | null;

async function vectorsOf(tools: CodeTools, project: Project, worker: VectorizerDetails) {
  const provider = tools.embeddings.kind;
  const model_id = (await tools.code.vectors.model(project.id, provider))?.model_id ?? null;
  const counts = await tools.code.vectors.counts(project.id, model_id);
  const reported = worker?.projects?.find((entry) => entry.project_id === project.id);
  return {
    project_id: project.id,
    root: project.root,
    provider,
    model_id,
    ...counts,
    ready: model_id !== null && counts.pending === 0,
    state: reported?.state ?? null,
    error: reported?.error ?? null,
  };
}

type Status = v.InferOutput<typeof ProjectStatus>;

async function statusOf(tools: CodeTools, project: Project, watched: IndexerProgress | undefined, worker: VectorizerDetails): Promise<Status> {
  const { files } = await tools.code.stats(project.id);
  const scan = watched ?? tools.scans.progress(project.id) ?? null;
  const vectors = await vectorsOf(tools, project, worker);
  return { root: project.root, project: projectIdentity(project), files, last_scan_at: project.last_scan_at, watched: watched !== undefined, scan, vectors };
}

export const indexStatus = tool({
  name: 'index_status',
  title: 'Indexing status',
  description:
    "How far indexing has got: for each project (or the one given) its files in the index, its last scan, whether the " +
    "indexer worker watches it, the progress of the latest scan (files seen, indexed, unchanged, failed), and how far its " +
    'definitions are embedded for semantic_search.',
  params: v.strictObject({ project: v.optional(ProjectRef) }),
  result: v.object({
    indexer: v.pipe(v.picklist(['running', 'not running']), v.description('Whether an indexer worker runs (serve with watched directories).')),
    vectorizer: v.pipe(v.picklist(['running', 'not running']), v.description('Whether a vectorizer worker runs (it embeds every project).')),
    embedding_errors: v.pipe(v.nullable(v.number()), v.description("The vectorizer worker's failed provider calls since it started; null when none runs.")),
    projects: v.array(ProjectStatus),
  }),
  mcp: true,
  run: async (tools, { project: ref }) => {
    const [progress, worker] = await Promise.all([tools.indexer.progress(), tools.indexer.vectorizer()]);
    const watched = new Map((progress ?? []).map((entry) => [entry.root, entry]));
    const projects = ref === undefined ? await tools.code.projects() : [await resolveProject(tools, ref)];
    const statuses = [];
    for (const project of projects) statuses.push(await statusOf(tools, project, watched.get(project.root), worker as VectorizerDetails));
    if (ref === undefined) {
      const known = new Set(projects.map((project) => project.root));
      for (const [root, scan] of watched) if (!known.has(root)) statuses.push({ root, project: null, files: 0, last_scan_at: null, watched: true, scan, vectors: null });
    }
    const errors = (worker?.provider_errors as { total?: unknown } | undefined)?.total;
    return {
      indexer: progress === null ? ('not running' as const) : ('running' as const),
      vectorizer: worker === null ? ('not running' as const) : ('running' as const),
      embedding_errors: typeof errors === 'number' ? errors : null,
      projects: statuses,
    };
  },
  text: ({ indexer, vectorizer, embedding_errors, projects }) =>
    [
      `indexer worker: ${indexer}; vectorizer worker: ${vectorizer}${embedding_errors ? ` (${embedding_errors} failed provider calls)` : ''}`,
      ...projects.map((status) => {
        const scan = status.scan;
        const counts = scan?.seen === undefined ? '' : ` (${scan.seen} seen, ${scan.indexed} indexed, ${scan.unchanged} unchanged, ${scan.failed} failed)`;
        const state = scan ? `${scan.state}${counts}${scan.error ? `: ${scan.error}` : ''}` : 'no scan this run';
        const name = status.project ? `${status.project.name} (id ${status.project.id})` : '(not scanned yet)';
        const vectors = status.vectors;
        const embedded = vectors
          ? `; vectors: ${vectors.embedded + vectors.empty} of ${vectors.symbols} definitions embedded${vectors.state ? ` (${vectors.state})` : ''}${vectors.error ? `: ${vectors.error}` : ''}`
          : '';
        return `${status.root}  ${name}: ${plural(status.files, 'file')}, last scan ${status.last_scan_at ?? 'never'}; ${status.watched ? 'watched' : 'not watched'}; ${state}${embedded}`;
      }),
    ].join('\n'),
});
