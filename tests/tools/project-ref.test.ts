import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RpcError } from '../../src/ipc/errors.ts';
import { resolveFile, resolveProject } from '../../src/tools/project-ref.ts';
import { indexedProjects, type IndexedProjects } from '../helpers/indexed-project.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

let dir: string;
let indexed: IndexedProjects;

async function failure(work: Promise<unknown>): Promise<RpcError> {
  const error = await work.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(RpcError);
  return error as RpcError;
}

beforeAll(async () => {
  dir = await makeTempDir();
  // Two projects named `app`, a third inside the first, and a file in both `app`s.
  for (const root of ['one/app', 'two/app', 'one/app/nested']) {
    await mkdir(join(dir, root), { recursive: true });
    await writeFile(join(dir, root, 'main.py'), 'def main():\n    pass\n');
  }
  await writeFile(join(dir, 'one/app/only_one.py'), 'x = 1\n');
  await writeFile(join(dir, 'two/app/README.md'), '# two\n');
  indexed = await indexedProjects([join(dir, 'one/app'), join(dir, 'two/app'), join(dir, 'one/app/nested')]);
});

describe('resolveProject', () => {
  it('takes an id (number or digits), a root, or a unique name', async () => {
    const [one, two, nested] = indexed.projects;
    expect(await resolveProject(indexed.tools, one!.id)).toEqual(one);
    expect(await resolveProject(indexed.tools, String(two!.id))).toEqual(two);
    expect(await resolveProject(indexed.tools, `${two!.root}/`)).toEqual(two);
    expect(await resolveProject(indexed.tools, 'nested')).toEqual(nested);
  });

  it('refuses an ambiguous name, listing the projects it could mean', async () => {
    const error = await failure(resolveProject(indexed.tools, 'app'));
    expect(error.codeName).toBe('VALIDATION_ERROR');
    expect(error.message).toContain('several projects are named "app"');
    expect(error.message).toContain(join(dir, 'one/app'));
    expect(error.message).toContain(join(dir, 'two/app'));
  });

  it('says which projects exist when none matches', async () => {
    const error = await failure(resolveProject(indexed.tools, 'ghost'));
    expect(error).toMatchObject({ codeName: 'NOT_FOUND', data: { field: 'project' } });
    expect(error.message).toContain('projects: app (id 1');
    expect((await failure(resolveProject(indexed.tools, 999))).codeName).toBe('NOT_FOUND');
    expect((await failure(resolveProject(indexed.tools, join(dir, 'one')))).codeName).toBe('NOT_FOUND');
  });
});

describe('resolveFile', () => {
  it('finds the one project holding a relative path: indexed first, else on disk', async () => {
    expect((await resolveFile(indexed.tools, undefined, 'only_one.py')).project.root).toBe(join(dir, 'one/app'));
    expect((await resolveFile(indexed.tools, undefined, './README.md')).project.root).toBe(join(dir, 'two/app'));
  });

  it('asks for the project when several hold the path, and says when none does', async () => {
    const several = await failure(resolveFile(indexed.tools, undefined, 'main.py'));
    expect(several).toMatchObject({ codeName: 'VALIDATION_ERROR', data: { field: 'project' } });
    expect(several.message).toContain('main.py is in several projects');
    expect((await failure(resolveFile(indexed.tools, undefined, 'nowhere.py'))).codeName).toBe('NOT_FOUND');
  });

  it('gives an absolute path to the deepest project root holding it', async () => {
    expect(await resolveFile(indexed.tools, undefined, join(dir, 'one/app/nested/main.py'))).toMatchObject({ path: 'main.py', project: { name: 'nested' } });
    expect(await resolveFile(indexed.tools, 'nested', join(dir, 'one/app/nested/x/../main.py'))).toMatchObject({ path: 'main.py' });
  });

  it('normalizes relative paths and refuses any that climbs out', async () => {
    expect((await resolveFile(indexed.tools, 'nested', 'a/../main.py')).path).toBe('main.py');
    expect((await resolveFile(indexed.tools, 'nested', 'a\\..\\main.py')).path).toBe('main.py');
    expect((await resolveFile(indexed.tools, 'nested', '.')).path).toBe('');
    for (const path of ['..', '../main.py', 'a/../../main.py']) {
      expect(await failure(resolveFile(indexed.tools, 'nested', path)), path).toMatchObject({ codeName: 'PERMISSION_DENIED', data: { field: 'path' } });
    }
  });
});
