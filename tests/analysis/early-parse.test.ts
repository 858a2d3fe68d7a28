import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { earlyParser } from '../../src/analysis/early-parse.ts';
import type { ParseJob } from '../../src/analysis/parse-job.ts';
import { inProcessParser } from '../../src/analysis/parse-pool.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const direct = inProcessParser(nodeRuntime.fs, createSourceParser());

async function twoFiles() {
  const dir = await makeTempDir();
  await writeFile(join(dir, 'a.py'), 'import os\n\ndef f():\n    return os.sep\n');
  await writeFile(join(dir, 'b.py'), 'class B:\n    pass\n');
  const job = (name: string, knownHash: string | null = null): ParseJob => ({ absolute: join(dir, name), language: 'python', knownHash });
  return { dir, job };
}

describe('earlyParser', () => {
  it('answers a file parsed early as a parse told the hash the index holds would: unchanged for that hash, whole for another', async () => {
    const { job } = await twoFiles();
    const stored = await direct.parse(job('a.py'));
    const other = await direct.parse(job('b.py'));
    const parser = earlyParser(direct);
    parser.parseEarly([job('a.py'), job('b.py')]);
    expect(await parser.parse(job('a.py', stored.hash))).toEqual(await direct.parse(job('a.py', stored.hash)));
    expect(await parser.parse(job('a.py', stored.hash))).toEqual({ unchanged: true, size: stored.size, hash: stored.hash });
    expect(await parser.parse(job('b.py', 'an older hash'))).toEqual(other);
    expect(parser.concurrency).toBe(direct.concurrency);
  });

  it('parses early only once: the file asked again is parsed again, as it is then', async () => {
    const { dir, job } = await twoFiles();
    const parser = earlyParser(direct);
    parser.parseEarly([job('b.py')]);
    await parser.parse(job('b.py'));
    await writeFile(join(dir, 'b.py'), 'class C:\n    pass\n');
    const again = await parser.parse(job('b.py'));
    expect(!again.unchanged && again.content.symbols.map((symbol) => symbol.name)).toEqual(['C']);
  });

  it('lets a file parsed early that fails, and is never asked for, fail unheard; one asked for fails for the scan', async () => {
    const { job } = await twoFiles();
    const parser = earlyParser(direct);
    parser.parseEarly([job('gone.py'), job('missing.py')]);
    await expect(parser.parse(job('missing.py'))).rejects.toThrow(/ENOENT/);
  });
});
