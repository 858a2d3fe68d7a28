import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../src/ipc/errors.ts';
import { runCodeCommand } from '../../src/tools/registry.ts';
import { indexedProjects } from '../helpers/indexed-project.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

async function project() {
  const dir = await makeTempDir();
  const root = join(dir, 'app');
  await mkdir(join(root, 'pkg'), { recursive: true });
  await writeFile(join(root, 'pkg/mod.py'), 'def public():\n    return helper()\n');
  await writeFile(join(root, 'main.py'), 'from pkg.mod import public\npublic()\n');
  const outside = join(dir, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'mod.py'), '# SECRET-4e1b\ndef public():\n    return stolen_secret()\n');
  return { root, outside, indexed: await indexedProjects([root]) };
}

describe('re-indexing a file that changed on disk', () => {
  it('find_references re-indexes changed files first and answers from them as they are now', async () => {
    const { root, indexed } = await project();
    await writeFile(join(root, 'main.py'), '# moved down\nfrom pkg.mod import public\npublic()\npublic()\n');
    const answer = (await runCodeCommand(indexed.tools, 'find_references', { name: 'public' })) as { references: Array<{ path: string; line: number; text: string }>; reindexed: string[] };
    expect(answer.reindexed).toEqual(['main.py']);
    expect(answer.references.map((r) => `${r.path}:${r.line} ${r.text}`)).toEqual(['main.py:2 from pkg.mod import public', 'main.py:3 public()', 'main.py:4 public()']);
  });

  it('a folder replaced by a link to elsewhere: its files leave the index, nothing from there is indexed or read', async () => {
    const { root, outside, indexed } = await project();
    await rename(join(root, 'pkg'), join(root, 'pkg-old'));
    await symlink(outside, join(root, 'pkg'));
    const error = await runCodeCommand(indexed.tools, 'get_symbol', { qualified_name: 'public', path: 'pkg/mod.py' }).catch((caught: RpcError) => caught);
    expect(error).toBeInstanceOf(RpcError);
    const references = await runCodeCommand(indexed.tools, 'find_references', { name: 'helper' });
    expect(references).toMatchObject({ references: [] });
    const symbol = await runCodeCommand(indexed.tools, 'get_symbol', { qualified_name: 'public' }).catch((caught: RpcError) => caught);
    expect(JSON.stringify(symbol)).not.toContain('SECRET');
    expect(await indexed.code.file(indexed.projects[0]!.id, 'pkg/mod.py')).toBeNull();
    expect(await runCodeCommand(indexed.tools, 'find_references', { name: 'stolen_secret' })).toMatchObject({ references: [] });
  });
});
