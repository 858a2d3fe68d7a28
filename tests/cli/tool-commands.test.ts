import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

let root: string;
let dataDir: string;
const cli = (args: string[], cwd?: string) => runCli([...args, '--data-dir', dataDir], { cwd });

beforeAll(async () => {
  const dir = await makeTempDir();
  root = join(dir, 'py-sample');
  dataDir = join(dir, 'data');
  await cp(join(REPO_ROOT, 'test_data/projects/py-sample'), root, { recursive: true });
  const indexed = await cli(['index', root]);
  expect(indexed.code, indexed.stderr).toBe(0);
});

describe('code-analysis outline, refs and show (the MCP tools for people)', () => {
  it('outline PATH: nested, with line ranges and signatures; the path relative to the current directory or the project root', async () => {
    const here = await cli(['outline', 'sample/util.py'], root);
    expect(here.code, here.stderr).toBe(0);
    expect(here.stdout).toBe(
      [
        `${root}/sample/util.py (python, 34 lines)`,
        '  1  import asyncio',
        '  2  import functools as ft',
        '  5-21  def retry(times: int = 3)',
        '    11-20  def decorator(fn)',
        '      12-19  def wrapper(*args, **kwargs)',
        '  24-29  async def gather_all(tasks, limit: int = 10,) -> list',
        '    28  from itertools import islice',
        '  33-34  def timeout(seconds)',
        '',
      ].join('\n'),
    );
    const elsewhere = await cli(['outline', 'sample/util.py', '--project', 'py-sample', '--json'], REPO_ROOT);
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(JSON.parse(elsewhere.stdout)).toMatchObject({ path: 'sample/util.py', project: { root }, symbols: expect.any(Array) });
  });

  it('refs NAME: each use with its line, kind, enclosing symbol and text', async () => {
    const refs = await cli(['refs', 'asyncio', '--project', root]);
    expect(refs.code, refs.stderr).toBe(0);
    expect(refs.stdout).toBe(
      [
        '4 references in 1 file:',
        `${root}/sample/util.py`,
        '  1:8  import  |  import asyncio',
        '  29:18  name in gather_all  |  return await asyncio.gather(*islice(tasks, limit))',
        '  32:12  name  |  if hasattr(asyncio, "timeout"):',
        '  34:16  name in timeout  |  return asyncio.timeout(seconds)',
        '',
      ].join('\n'),
    );
    const json = await cli(['refs', 'fn', '--path', join(root, 'sample/util.py'), '--limit', '2', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ more: true, references: [{ line: 12, kind: 'name' }, { line: 16, kind: 'call' }] });
  });

  it('show QUALIFIED_NAME: the symbol with its source', async () => {
    const show = await cli(['show', 'Square.Meta.describe']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toBe(
      [
        `method Square.Meta.describe  ${root}/sample/shapes.py:51-52`,
        'parent: Square.Meta',
        'signature: def describe(self)',
        '    51\t        def describe(self):',
        '    52\t            return "meta"',
        '',
      ].join('\n'),
    );
    expect(JSON.parse((await cli(['show', 'retry', '--path', 'sample/util.py', '--json'], root)).stdout).symbols).toHaveLength(1);
  });

  it('says what is wrong: exit 1 for what the index lacks, 2 for a bad flag', async () => {
    const missing = await cli(['show', 'no_such_symbol']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('qualified_name: no symbol no_such_symbol');
    const outside = await cli(['outline', '../../etc/passwd', '--project', 'py-sample'], REPO_ROOT);
    expect(outside.code).toBe(1);
    // Resolved against the working directory first, so the message depends on where the clone sits: either way it is refused.
    expect(outside.stderr).toMatch(/leads outside the project root|is outside the root of project py-sample/);
    const badLimit = await cli(['refs', 'fn', '--limit', 'lots']);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain('--limit: must be a whole number');
  });
});
