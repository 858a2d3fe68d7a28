import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languageOf } from '../../src/analysis/languages.ts';
import { projectPath, type SourceFile, walkSources } from '../../src/analysis/source-walker.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

/** Write a tree of files: relative path → content. */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await makeTempDir();
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

async function walk(root: string, maxFileBytes = 1024 * 1024, excludeDirs?: string[]) {
  const files: SourceFile[] = [];
  const skipped: Array<[string, string]> = [];
  for await (const file of walkSources(nodeRuntime.fs, root, {
    languageOf,
    maxFileBytes,
    onSkipped: (path, reason) => skipped.push([path, reason]),
    excludeDirs,
  })) {
    files.push(file);
  }
  return { paths: files.map((file) => file.path), files, skipped };
}

describe('walkSources', () => {
  it('applies a nested .gitignore only below its own folder, as git does', async () => {
    const root = await tree({
      'a.py': '',
      'sub/a.py': '',
      'sub/b.py': '',
      'sub/.gitignore': 'a.py\n',
      'other/b.py': '',
    });
    expect((await walk(root)).paths).toEqual(['a.py', 'other/b.py', 'sub/b.py']);
  });

  it('honours `!` negation, also in a subfolder re-including what a parent excluded', async () => {
    const root = await tree({
      '.gitignore': '*.js\n!keep.js\n',
      'drop.js': '',
      'keep.js': '',
      'lib/drop.js': '',
      'lib/also.js': '',
      'lib/.gitignore': '!also.js\n',
    });
    expect((await walk(root)).paths).toEqual(['keep.js', 'lib/also.js']);
  });

  it('skips a directory pattern `dist/` but not a file named dist', async () => {
    const root = await tree({
      '.gitignore': 'dist/\n',
      'dist/bundle.js': '',
      'src/dist/inner.js': '',
      'src/dist.js': '',
      'src/main.ts': '',
    });
    expect((await walk(root)).paths).toEqual(['src/dist.js', 'src/main.ts']);
  });

  it('anchors a rule with a slash to the folder of its .gitignore', async () => {
    const root = await tree({
      'pkg/.gitignore': '/gen.py\n',
      'pkg/gen.py': '',
      'pkg/deep/gen.py': '',
      'gen.py': '',
    });
    expect((await walk(root)).paths).toEqual(['gen.py', 'pkg/deep/gen.py']);
  });

  it('never enters node_modules or .git, whatever .gitignore says', async () => {
    const root = await tree({
      '.gitignore': '!node_modules/\n',
      'node_modules/dep/index.js': '',
      '.git/hooks/pre-commit.py': '',
      'lib/node_modules/x.js': '',
      'index.js': '',
    });
    expect((await walk(root)).paths).toEqual(['index.js']);
  });

  it('never enters an excluded directory (the server\'s own data dir inside a watched tree)', async () => {
    const root = await tree({ 'app.py': '', 'data/backups/copy.py': '', 'src/data/kept.py': '' });
    expect((await walk(root, 1024, [join(root, 'data')])).paths).toEqual(['app.py', 'src/data/kept.py']);
  });

  it('does not follow symbolic links, so a loop ends', async () => {
    const root = await tree({ 'pkg/mod.py': '', 'real.py': '' });
    await symlink(root, join(root, 'pkg', 'loop'));
    await symlink(join(root, 'real.py'), join(root, 'alias.py'));
    await symlink(join(root, 'missing.py'), join(root, 'dangling.py'));
    expect((await walk(root)).paths).toEqual(['real.py', 'pkg/mod.py']);
  });

  it('reports a file over maxFileBytes as skipped instead of yielding it', async () => {
    const root = await tree({ 'big.py': 'x = 1\n'.repeat(100), 'small.py': 'x = 1\n' });
    const { paths, skipped } = await walk(root, 100);
    expect(paths).toEqual(['small.py']);
    expect(skipped).toEqual([['big.py', 'larger than 100 bytes']]);
  });

  it('yields only known languages, a folder\'s files before its subfolders, each in name order, with size and mtime', async () => {
    const root = await tree({
      'b/z.ts': 'let a = 1;\n',
      'b/a/y.tsx': '',
      'a.py': 'pass\n',
      'c.mjs': '',
      'README.md': '# no',
      'b/data.json': '{}',
      'B.py': '',
    });
    const { files, paths } = await walk(root);
    expect(paths).toEqual(['B.py', 'a.py', 'c.mjs', 'b/z.ts', 'b/a/y.tsx']);
    expect((await walk(root)).paths).toEqual(paths);
    const z = files.find((file) => file.path === 'b/z.ts')!;
    expect(z).toMatchObject({ absolute: join(root, 'b', 'z.ts'), language: 'typescript', size: 11 });
    expect(Number.isInteger(z.mtimeMs)).toBe(true);
    expect(projectPath(root, z.absolute)).toBe('b/z.ts');
  });
});

describe('walkSources never loses a file in silence', () => {
  it('reports a file or folder whose name is not valid UTF-8, and walks on', async () => {
    const root = await tree({ 'good.py': 'x = 1\n' });
    const bytes = (name: string) => Buffer.concat([Buffer.from(root), Buffer.from('/'), Buffer.from(name, 'latin1')]);
    await writeFile(bytes('bad\xff\xfename.py'), 'y = 2\n');
    await mkdir(bytes('dir\xff'));
    const { paths, skipped } = await walk(root);
    expect(paths).toEqual(['good.py']);
    expect(skipped).toEqual([
      ['bad\uFFFD\uFFFDname.py', 'the file name is not valid UTF-8'],
      ['dir\uFFFD', 'the file name is not valid UTF-8'],
    ]);
  });

  it('reports a folder it cannot read and indexes the rest; an unreadable root is an error', async () => {
    const root = await tree({ 'a.py': '', 'locked/b.py': '', 'open/c.py': '' });
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const fs = {
      ...nodeRuntime.fs,
      readDir: (path: string) => (path === join(root, 'locked') || path === '/nowhere' ? Promise.reject(denied) : nodeRuntime.fs.readDir(path)),
    };
    const files: string[] = [];
    const skipped: Array<[string, string]> = [];
    for await (const file of walkSources(fs, root, { languageOf, maxFileBytes: 1024, onSkipped: (path, reason) => skipped.push([path, reason]) })) files.push(file.path);
    expect(files).toEqual(['a.py', 'open/c.py']);
    expect(skipped).toEqual([['locked', 'cannot be read: EACCES: permission denied']]);
    await expect(walkSources(fs, '/nowhere', { languageOf, maxFileBytes: 1024 }).next()).rejects.toThrow('EACCES');
  });
});
