import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { projectName, scanProject } from '../../src/analysis/indexer.ts';
import { CODE_SCHEMA } from '../../src/db/code-schema.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { CodeDatabase, type Project } from '../../src/db/code-database.ts';
import { codeDialect, setupSearch } from '../../src/db/code-dialect.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { type InProcessDriver, startInProcessDriver } from './driver.ts';
import { REPO_ROOT } from './paths.ts';
import { makeTempDir } from './temp-dir.ts';

/**
 * A copy of one of the test_data sample projects, fully indexed into a fresh in-process
 * driver: what the HTTP and command tests query.
 */
export async function indexedSample(sample: 'py-sample' | 'ts-sample'): Promise<{ driver: InProcessDriver; code: CodeDatabase; project: Project }> {
  const driver = await startInProcessDriver();
  const db = driver.client();
  await db.syncSchema(CODE_SCHEMA);
  await setupSearch(db, codeDialect('sqlite'));
  const code = await CodeDatabase.open(db);
  const root = join(await makeTempDir(), sample);
  await cp(join(REPO_ROOT, 'test_data/projects', sample), root, { recursive: true });
  const project = await code.ensureProject(root, projectName(root));
  const logger = createLogger(nodeRuntime, { level: 'silent' });
  const scan = await scanProject({ fs: nodeRuntime.fs, code, parser: createSourceParser(), logger }, project);
  if (scan.state !== 'done') throw new Error(`indexing ${sample} ended ${scan.state}: ${scan.error}`);
  return { driver, code, project: (await code.project(project.id))! };
}
