import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RpcError } from '../../src/ipc/errors.ts';
import { runCodeCommand } from '../../src/tools/registry.ts';
import { splitLines } from '../../src/tools/source-file.ts';
import { indexedProjects, type IndexedProjects } from '../helpers/indexed-project.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

let root: string;
let indexed: IndexedProjects;

const read = (path: string, project: string | number = 'app') => runCodeCommand(indexed.tools, 'read_source', { path, project });

async function refusal(path: string): Promise<RpcError> {
  const error = await read(path).then(() => null, (caught: unknown) => caught);
  expect(error, path).toBeInstanceOf(RpcError);
  return error as RpcError;
}

beforeAll(async () => {
  root = join(await makeTempDir(), 'app');
  await mkdir(join(root, 'data/run'), { recursive: true });
  await mkdir(join(root, '.git'), { recursive: true });
  await writeFile(join(root, 'main.py'), 'print(1)\r\nprint(2)\r\n');
  await writeFile(join(root, 'data/run/config.json'), '{"server":{"auth_token":"do-not-show"}}');
  await writeFile(join(root, '.git/config'), '[remote "origin"]\n\turl = https://user:token@example.com/x.git\n');
  await writeFile(join(root, 'image.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  // The server's data dir inside the project root, as when someone indexes the directory serve runs in.
  indexed = await indexedProjects([root], { excludeDirs: [join(root, 'data')] });
});

describe('reading a project file', () => {
  it('reads a text file, CRLF line ends taken off', async () => {
    expect(await read('main.py')).toMatchObject({ lines: ['print(1)', 'print(2)'], total_lines: 2 });
  });

  it('never reads the server\'s data dir nor version-control internals', async () => {
    expect((await refusal('data/run/config.json')).message).toContain("inside the server's data directory");
    expect((await refusal('.git/config')).message).toContain('inside a version-control folder');
  });

  it('refuses binaries and directories, naming the path', async () => {
    expect(await refusal('image.png')).toMatchObject({ codeName: 'VALIDATION_ERROR', message: 'path: image.png is a binary file' });
    expect((await refusal('.')).message).toContain(' is not a file but a directory');
    expect((await refusal('missing.py')).codeName).toBe('NOT_FOUND');
  });

  it('says so when the project root itself is gone', async () => {
    const gone = join(await makeTempDir(), 'gone');
    await mkdir(gone);
    await writeFile(join(gone, 'a.py'), 'a = 1\n');
    const other = await indexedProjects([gone]);
    await rm(gone, { recursive: true });
    const error = await runCodeCommand(other.tools, 'read_source', { path: 'a.py' }).then(() => null, (caught: unknown) => caught as RpcError);
    expect(error).toMatchObject({ codeName: 'NOT_FOUND', data: { field: 'project' } });
    expect(error!.message).toContain('no longer exists');
  });
});

describe('splitLines', () => {
  it('numbers lines as tree-sitter rows: \\n ends a line, a final newline adds none', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a')).toEqual(['a']);
    expect(splitLines('a\n')).toEqual(['a']);
    expect(splitLines('a\n\n')).toEqual(['a', '']);
    expect(splitLines('a\r\nb\rc')).toEqual(['a', 'b\rc']);
  });
});
