import { readFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { projectName, scanProject } from '../../src/analysis/indexer.ts';
import { inProcessParser } from '../../src/analysis/parse-pool.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import type { EmbeddingsConfig } from '../../src/config/schema.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import type { CodeDatabase, Project } from '../../src/db/code-database.ts';
import { openCodeIndex } from '../../src/db/code-index.ts';
import type { DatabaseClient } from '../../src/db/database-client.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { type CodeTools, createCodeTools } from '../../src/tools/context.ts';
import { NO_INDEXER } from '../../src/tools/indexer-link.ts';
import { type InProcessDriver, startInProcessDriver, OWNER } from './driver.ts';
import { REPO_ROOT } from './paths.ts';
import { makeTempDir } from './temp-dir.ts';

const sourceParser = createSourceParser();

/** The code index on `db`, as serve opens it: schema synced, search tables made, checked. */
export async function openTestCodeIndex(db: DatabaseClient): Promise<CodeDatabase> {
  return (await openCodeIndex(db)).code;
}

/** Parsing in the test's own thread: what the parse threads do, without starting any. */
export const testFileParser = () => inProcessParser(nodeRuntime.fs, sourceParser);

export interface IndexedProjects {
  driver: InProcessDriver;
  code: CodeDatabase;
  projects: Project[];
  /** The code tools over this index (no indexer worker). */
  tools: CodeTools;
}

/** These directories, each one a project, fully indexed into a fresh in-process driver. */
export async function indexedProjects(roots: string[], options: { excludeDirs?: string[] } = {}): Promise<IndexedProjects> {
  const driver = await startInProcessDriver();
  const code = await openTestCodeIndex(driver.client(OWNER));
  const logger = createLogger(nodeRuntime, { level: 'silent' });
  const projects: Project[] = [];
  for (const root of roots) {
    const project = await code.ensureProject(root, projectName(root));
    const scan = await scanProject({ fs: nodeRuntime.fs, code, parser: testFileParser(), logger, excludeDirs: options.excludeDirs }, project);
    if (scan.state !== 'done') throw new Error(`indexing ${root} ended ${scan.state}: ${scan.error}`);
    projects.push((await code.project(project.id))!);
  }
  return { driver, code, projects, tools: toolsOver(code, options.excludeDirs) };
}

/**
 * A copy of one of the test_data sample projects, fully indexed into a fresh in-process
 * driver: what the HTTP and command tests query.
 */
export async function indexedSample(sample: 'py-sample' | 'ts-sample'): Promise<Omit<IndexedProjects, 'projects'> & { project: Project }> {
  const root = join(await makeTempDir(), sample);
  await cp(join(REPO_ROOT, 'test_data/projects', sample), root, { recursive: true });
  const { projects, ...indexed } = await indexedProjects([root]);
  return { ...indexed, project: projects[0]! };
}

/** The embedded default's embeddings settings (the builtin provider). */
export function defaultEmbeddings(): EmbeddingsConfig {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'config/default.json'), 'utf8')) as { embeddings: EmbeddingsConfig }).embeddings;
}

/** The code tools over an index, as a server without an indexer worker has them. */
export function toolsOver(code: CodeDatabase, excludeDirs: string[] = [], embeddings = defaultEmbeddings()): CodeTools {
  return createCodeTools({ code, fs: nodeRuntime.fs, excludeDirs, indexer: NO_INDEXER, embeddings, logger: createLogger(nodeRuntime, { level: 'silent' }) });
}
