import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countLines, runParseJob, sha256 } from '../../src/analysis/parse-job.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import type { SourceParser } from '../../src/analysis/types.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

describe('runParseJob', () => {
  it('reads, hashes and parses a file into what the index stores, or says its content is unchanged', async () => {
    const dir = await makeTempDir();
    const text = 'import os\n\ndef f():\n    return os.sep\n';
    await writeFile(join(dir, 'm.py'), text);
    const job = { absolute: join(dir, 'm.py'), language: 'python' as const, knownHash: null };
    const outcome = await runParseJob(nodeRuntime.fs, createSourceParser(), job);
    const hash = await sha256(new TextEncoder().encode(text));
    expect(outcome).toMatchObject({ unchanged: false, size: text.length, hash, lines: 4, content: { error: null, symbols: [{ name: 'os' }, { name: 'f' }] } });
    expect(await runParseJob(nodeRuntime.fs, createSourceParser(), { ...job, knownHash: hash })).toEqual({ unchanged: true, size: text.length, hash });
  });

  it('stores a file whose references are malformed without them, saying why, rather than failing it at every scan', async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, 'm.py'), 'x = 1\n');
    const real = createSourceParser();
    const broken: SourceParser = {
      ...real,
      parse: async (source, language) => ({ ...(await real.parse(source, language)), references: [{ name: 'x', line: 0, column: 1, kind: 'name' }] }),
    };
    const outcome = await runParseJob(nodeRuntime.fs, broken, { absolute: join(dir, 'm.py'), language: 'python', knownHash: null });
    expect(outcome).toMatchObject({
      unchanged: false,
      content: { references: { names: '' }, error: expect.stringMatching(/^references not stored: references\[0\]\.line must be a whole number ≥ 1, got 0$/) },
    });
  });

  it('counts lines as editors show them', () => {
    expect([countLines(''), countLines('a'), countLines('a\n'), countLines('a\nb'), countLines('a\n\n')]).toEqual([0, 1, 1, 2, 2]);
  });
});
