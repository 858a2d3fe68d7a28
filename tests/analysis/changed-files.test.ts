import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexChangedFiles } from '../../src/analysis/changed-files.ts';
import { projectName, scanProject } from '../../src/analysis/indexer.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { startInProcessDriver, OWNER } from '../helpers/driver.ts';
import { openTestCodeIndex, testFileParser } from '../helpers/indexed-project.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const logger = createLogger(nodeRuntime, { level: 'silent' });

async function indexedCopy() {
  const root = join(await makeTempDir(), 'py-sample');
  await cp(join(REPO_ROOT, 'test_data/projects/py-sample'), root, { recursive: true });
  await writeFile(join(root, '.gitignore'), 'generated/\n');
  const driver = await startInProcessDriver();
  const code = await openTestCodeIndex(driver.client(OWNER));
  const project = await code.ensureProject(root, projectName(root));
  const context = { fs: nodeRuntime.fs, code, parser: testFileParser(), logger, maxFileBytes: 4096 };
  expect(await scanProject(context, project)).toMatchObject({ state: 'done', indexed: 4 });
  const paths = async () => (await code.files(project.id)).map((file) => file.path);
  return { root, code, project, context, paths, update: (changed: string[]) => indexChangedFiles(context, project, changed) };
}

describe('indexChangedFiles', () => {
  it('stores new and edited files and removes deleted ones, touching no other file', async () => {
    const { root, code, paths, update } = await indexedCopy();
    const before = await code.file((await code.projects())[0]!.id, 'sample/shapes.py');
    await writeFile(join(root, 'sample/fresh.py'), 'def fresh():\n    pass\n');
    await writeFile(join(root, 'sample/util.py'), 'class Edited:\n    pass\n');
    await rm(join(root, 'sample/broken.py'));
    const result = await update(['sample/fresh.py', 'sample/util.py', 'sample/broken.py', 'sample/fresh.py']);
    expect(result).toMatchObject({ state: 'done', seen: 3, indexed: 2, removed: 1, needs_scan: false, error: null });
    expect(await paths()).toEqual(['sample/__init__.py', 'sample/fresh.py', 'sample/shapes.py', 'sample/util.py']);
    expect((await code.search('Edited')).map((hit) => hit.path)).toEqual(['sample/util.py']);
    expect((await code.search('fresh')).map((hit) => hit.path)).toEqual(['sample/fresh.py']);
    expect(await code.file((await code.projects())[0]!.id, 'sample/shapes.py')).toEqual(before);
  });

  it('indexes only what a walk would: nothing ignored, in node_modules, too large, outside the root or not source', async () => {
    const { root, paths, update } = await indexedCopy();
    await mkdir(join(root, 'generated'), { recursive: true });
    await mkdir(join(root, 'node_modules/dep'), { recursive: true });
    await writeFile(join(root, 'generated/out.py'), 'def gen():\n    pass\n');
    await writeFile(join(root, 'node_modules/dep/index.js'), 'function dep() {}\n');
    await writeFile(join(root, 'big.py'), `x = 1\n${'# padding\n'.repeat(500)}`);
    await writeFile(join(root, 'notes.txt'), 'not code\n');
    const result = await update(['generated/out.py', 'node_modules/dep/index.js', 'big.py', 'notes.txt', '../escape.py', '']);
    expect(result).toMatchObject({ state: 'done', indexed: 0, removed: 0, needs_scan: false });
    expect(await paths()).toEqual(['sample/__init__.py', 'sample/broken.py', 'sample/shapes.py', 'sample/util.py']);
  });

  it('removes a file that became too large or ignored, and a removed folder with its files', async () => {
    const { root, paths, update } = await indexedCopy();
    await writeFile(join(root, 'sample/util.py'), `x = 1\n${'# padding\n'.repeat(500)}`);
    expect(await update(['sample/util.py'])).toMatchObject({ removed: 1 });
    await rm(join(root, 'sample'), { recursive: true });
    expect(await update(['sample'])).toMatchObject({ state: 'done', removed: 3, needs_scan: false });
    expect(await paths()).toEqual([]);
  });

  it('asks for a full scan when a folder appears (its files are not known from its path)', async () => {
    const { root, paths, update, context, project } = await indexedCopy();
    await mkdir(join(root, 'pkg/sub'), { recursive: true });
    await writeFile(join(root, 'pkg/sub/mod.py'), 'def inner():\n    pass\n');
    expect(await update(['pkg'])).toMatchObject({ state: 'done', indexed: 0, needs_scan: true });
    expect(await scanProject(context, project)).toMatchObject({ indexed: 1 });
    expect(await paths()).toContain('pkg/sub/mod.py');
  });
});
