import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { projectName, scanProject } from '../../src/analysis/indexer.ts';
import { inProcessParser } from '../../src/analysis/parse-pool.ts';
import { syntaxTreeReader } from '../../src/analysis/syntax-tree-reader.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import type { CodeDatabase, Project } from '../../src/db/code-database.ts';
import { openCodeIndex } from '../../src/db/code-index.ts';
import type { DatabaseClient } from '../../src/db/database-client.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { type InProcessDriver, startInProcessDriver } from './driver.ts';
import { REPO_ROOT } from './paths.ts';
import { makeTempDir } from './temp-dir.ts';

const sourceParser = createSourceParser();

/** The code index on `db`, as serve opens it: schema synced, search tables made, file trees parsed on demand. */
export async function openTestCodeIndex(db: DatabaseClient): Promise<CodeDatabase> {
  return (await openCodeIndex(db, { syntaxTrees: syntaxTreeReader(nodeRuntime.fs, sourceParser) })).code;
}

/** Parsing in the test's own thread: what the parse threads do, without starting any. */
export const testFileParser = () => inProcessParser(nodeRuntime.fs, sourceParser);

/**
 * A copy of one of the test_data sample projects, fully indexed into a fresh in-process
 * driver: what the HTTP and command tests query.
 */
export async function indexedSample(sample: 'py-sample' | 'ts-sample'): Promise<{ driver: InProcessDriver; code: CodeDatabase; project: Project }> {
  const driver = await startInProcessDriver();
  const code = await openTestCodeIndex(driver.client());
  const root = join(await makeTempDir(), sample);
  await cp(join(REPO_ROOT, 'test_data/projects', sample), root, { recursive: true });
  const project = await code.ensureProject(root, projectName(root));
  const logger = createLogger(nodeRuntime, { level: 'silent' });
  const scan = await scanProject({ fs: nodeRuntime.fs, code, parser: testFileParser(), logger }, project);
  if (scan.state !== 'done') throw new Error(`indexing ${sample} ended ${scan.state}: ${scan.error}`);
  return { driver, code, project: (await code.project(project.id))! };
}
