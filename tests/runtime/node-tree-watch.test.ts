import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchTree } from '../../src/runtime/node-tree-watch.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

function watched(root: string) {
  const changes: string[] = [];
  const errors: Error[] = [];
  const stop = watchTree(root, (path) => changes.push(path ?? ''), (error) => errors.push(error));
  deferCleanup(stop);
  return { changes, errors, stop };
}

describe('watchTree (Node)', () => {
  it('survives symbolic link cycles and keeps naming changes right, in new folders too', async () => {
    const root = await makeTempDir();
    await mkdir(join(root, 'pkg', 'sub'), { recursive: true });
    await symlink('..', join(root, 'pkg', 'sub', 'up'));
    const { changes, errors } = watched(root);
    // Node's recursive watch reports ELOOP on these and misnames what follows.
    await symlink('loop-b', join(root, 'pkg', 'loop-a'));
    await symlink('loop-a', join(root, 'pkg', 'loop-b'));
    await writeFile(join(root, 'pkg', 'sub', 'module.py'), 'x = 1\n');
    await waitFor(() => changes.includes(join(root, 'pkg', 'sub', 'module.py')), { message: 'the change under the cycle' });
    await mkdir(join(root, 'pkg', 'fresh'));
    await waitFor(() => changes.includes(join(root, 'pkg', 'fresh')), { message: 'the new folder' });
    // The new folder is watched once it is seen; a file written then is reported (a rescan covers the gap before).
    await waitFor(
      async () => {
        await writeFile(join(root, 'pkg', 'fresh', 'late.py'), `y = ${Date.now()}\n`);
        return changes.includes(join(root, 'pkg', 'fresh', 'late.py'));
      },
      { intervalMs: 100, message: 'a file in the new folder' },
    );
    expect(errors).toEqual([]);
  });

  it('stops watching a removed folder and goes on with the rest; a stopped watch reports nothing more', async () => {
    const root = await makeTempDir();
    await mkdir(join(root, 'gone'), { recursive: true });
    await mkdir(join(root, 'kept'), { recursive: true });
    const { changes, errors, stop } = watched(root);
    await rm(join(root, 'gone'), { recursive: true });
    await waitFor(() => changes.includes(join(root, 'gone')), { message: 'the removal' });
    await writeFile(join(root, 'kept', 'a.py'), 'a = 1\n');
    await waitFor(() => changes.includes(join(root, 'kept', 'a.py')), { message: 'a change beside it' });
    expect(errors).toEqual([]);
    stop();
    const seen = changes.length;
    // A second watch sees the next write: by then the stopped one would have seen it too.
    const witness = watched(root);
    await waitFor(
      async () => {
        await writeFile(join(root, 'kept', 'b.py'), `b = ${Date.now()}\n`);
        return witness.changes.includes(join(root, 'kept', 'b.py'));
      },
      { intervalMs: 100, message: 'the witness to see the write' },
    );
    expect(changes.length).toBe(seen);
  });

  it('hands a root it cannot watch to onError', async () => {
    const root = join(await makeTempDir(), 'missing');
    const { errors } = watched(root);
    await waitFor(() => errors.length === 1, { message: 'the error' });
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
