import * as v from 'valibot';
import { scanProject, startedScan } from '../analysis/indexer.ts';
import type { Project } from '../db/code-database.ts';
import { RpcError } from '../ipc/errors.ts';
import type { CodeTools } from './context.ts';
import { FilePath, ProjectRef } from './fields.ts';
import { reindexFile } from './freshness.ts';
import { projectIdentity, resolveFile, resolveProject } from './project-ref.ts';
import { Count, ProjectRefShape, ScanShape } from './shapes.ts';
import { SourceFiles } from './source-file.ts';
import { tool } from './tool.ts';

const Result = v.object({
  project: ProjectRefShape,
  path: v.nullable(v.string()),
  by: v.pipe(v.picklist(['this process', 'indexer']), v.description('Who does the work: this server process, or the indexer worker.')),
  state: v.pipe(
    v.string(),
    v.description('A file: indexed, unchanged, removed or absent. A project: requested (the indexer rescans it), started or already running.'),
  ),
  symbols: v.nullable(Count),
  scan: v.nullable(ScanShape),
});

type Answer = v.InferOutput<typeof Result>;

async function reindexOne(tools: CodeTools, project: Project, path: string): Promise<Answer> {
  const target = await resolveFile(tools, project.id, path);
  if (!tools.parser.languageOf(target.path)) {
    throw new RpcError('VALIDATION_ERROR', `path: ${target.path} is not a file this server parses (Python, TypeScript, JavaScript)`, { field: 'path' });
  }
  try {
    await new SourceFiles(tools).locate(target);
  } catch (error) {
    // A file gone from disk is removed from the index; anything else (a path leading out) is refused.
    if (!(error instanceof RpcError && error.is('NOT_FOUND') && (await tools.code.file(project.id, target.path)))) throw error;
  }
  const outcome = await reindexFile(tools, project, target.path);
  return { project: projectIdentity(project), path: target.path, by: 'this process', state: outcome.state, symbols: outcome.symbols, scan: null };
}

/**
 * A project watched by a running indexer worker is rescanned by it (asked with SIGHUP): one
 * writer per project. Any other project is scanned by this process, in the background.
 */
async function reindexProject(tools: CodeTools, project: Project): Promise<Answer> {
  const watched = (await tools.indexer.progress())?.find((entry) => entry.root === project.root);
  const base = { project: projectIdentity(project), path: null, symbols: null };
  if (watched && (await tools.indexer.requestRescan())) return { ...base, by: 'indexer', state: 'requested', scan: watched };
  const context = { fs: tools.fs, code: tools.writer, parser: tools.files, logger: tools.logger, excludeDirs: tools.excludeDirs };
  const { started, progress } = tools.scans.start(project.id, startedScan(project.root), (onProgress, shouldStop) =>
    scanProject(context, project, onProgress, shouldStop),
  );
  return { ...base, by: 'this process', state: started ? 'started' : 'already running', scan: progress };
}

export const reindex = tool({
  name: 'reindex',
  title: 'Re-index',
  description:
    'Index a project again now (files changed on disk are parsed again, deleted ones removed), or just one file of it. A ' +
    'file is done before the answer; a project scan runs in the background: follow it with index_status.',
  params: v.strictObject({
    project: ProjectRef,
    path: v.optional(v.pipe(FilePath, v.description('Only this file (relative to the project root).'))),
  }),
  result: Result,
  mcp: true,
  writes: true,
  run: async (tools, { project: ref, path }) => {
    const project = await resolveProject(tools, ref);
    return path === undefined ? reindexProject(tools, project) : reindexOne(tools, project, path);
  },
  text: (answer) => {
    if (answer.path !== null) return `${answer.project.root}/${answer.path}: ${answer.state}${answer.symbols ? ` (${answer.symbols} symbols)` : ''}`;
    const who = answer.by === 'indexer' ? 'the indexer worker was asked to rescan it' : `a scan in this process: ${answer.state}`;
    return `${answer.project.name} (${answer.project.root}): ${who}; follow it with index_status`;
  },
});
