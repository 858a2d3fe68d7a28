import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { EmbeddingSource } from '../../src/analysis/embedding-source.ts';
import { projectName, scanProject } from '../../src/analysis/indexer.ts';
import type { VectorizerContext } from '../../src/analysis/vectorizer.ts';
import type { EmbeddingsConfig } from '../../src/config/schema.ts';
import type { CodeDatabase, Project } from '../../src/db/code-database.ts';
import type { DatabaseClient } from '../../src/db/database-client.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { type DriverHandle, OWNER } from './driver.ts';
import { defaultEmbeddings, openTestCodeIndex, testFileParser } from './indexed-project.ts';
import { REPO_ROOT } from './paths.ts';
import { makeTempDir } from './temp-dir.ts';

export const SEMANTIC_SAMPLE = join(REPO_ROOT, 'test_data/projects/semantic-sample');

const logger = createLogger(nodeRuntime, { level: 'silent' });

export interface SemanticFixture {
  /** The driver: `handle.client()` is a connection that is not the owner's. */
  handle: DriverHandle;
  db: DatabaseClient;
  code: CodeDatabase;
  project: Project;
  root: string;
  /** Index the project (again): what the indexer does after an edit. */
  scan(): Promise<void>;
  /** The vectorizer's context, with its own embedding source. */
  context(embeddings?: EmbeddingsConfig, batchSize?: number): VectorizerContext;
}

/** A copy of test_data/projects/semantic-sample, indexed on the target's driver (owner connection). */
export async function indexedSemanticSample(start: () => Promise<DriverHandle>): Promise<SemanticFixture> {
  const root = join(await makeTempDir(), 'semantic-sample');
  await cp(SEMANTIC_SAMPLE, root, { recursive: true });
  const handle = await start();
  const db = handle.client(OWNER);
  const code = await openTestCodeIndex(db);
  const project = await code.ensureProject(root, projectName(root));
  const scan = async () => {
    expect(await scanProject({ fs: nodeRuntime.fs, code, parser: testFileParser(), logger }, project)).toMatchObject({ state: 'done' });
  };
  await scan();
  return {
    handle,
    db,
    code,
    project,
    root,
    scan,
    context: (embeddings = defaultEmbeddings(), batchSize = 4) => ({
      fs: nodeRuntime.fs,
      code,
      source: new EmbeddingSource(embeddings, { fs: nodeRuntime.fs }),
      logger,
      batchSize,
    }),
  };
}

/** Every stored vector row of the project: symbol id, kind, model id, text hash and the blob (base64). */
export async function vectorRows(db: DatabaseClient, projectId: number) {
  const { data } = await db.select('symbol_vectors', { where: { project_id: projectId }, order_by: ['symbol_id'] });
  return data;
}

/** Vector and empty-mark rows whose symbol is gone: there must never be any. */
export async function orphanedVectors(db: DatabaseClient): Promise<number> {
  const { data = [] } = await db.execute(
    'SELECT (SELECT count(*) FROM symbol_vectors WHERE symbol_id NOT IN (SELECT id FROM symbols)) + (SELECT count(*) FROM empty_vectors WHERE symbol_id NOT IN (SELECT id FROM symbols)) AS n',
  );
  return Number(data[0]?.n ?? -1);
}
