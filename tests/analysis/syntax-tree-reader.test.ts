import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/analysis/parse-job.ts';
import { syntaxTreeOf } from '../../src/analysis/syntax-tree-reader.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const parser = createSourceParser();
const hashOf = (text: string) => sha256(new TextEncoder().encode(text));

describe('syntaxTreeOf', () => {
  it('parses the file as it is now, and says whether that is still what was indexed', async () => {
    const dir = await makeTempDir();
    const absolute = join(dir, 'm.py');
    await writeFile(absolute, 'def f():\n    pass\n');
    const file = { path: 'm.py', language: 'python', hash: await hashOf('def f():\n    pass\n') };
    const same = await syntaxTreeOf(nodeRuntime.fs, parser, absolute, file);
    expect(same).toMatchObject({ changed: false, truncated: false, error: null, tree: { type: 'module', children: [{ type: 'function_definition' }] } });

    await writeFile(absolute, 'class C:\n    pass\n');
    const edited = await syntaxTreeOf(nodeRuntime.fs, parser, absolute, file);
    expect(edited).toMatchObject({ changed: true, tree: { type: 'module', children: [{ type: 'class_definition' }] } });
  });

  it('refuses a language it has no parser for, and a file it cannot read', async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await expect(syntaxTreeOf(nodeRuntime.fs, parser, join(dir, 'notes.txt'), { path: 'notes.txt', language: 'text', hash: 'x' })).rejects.toThrow(/no parser for the language text/);
    await expect(syntaxTreeOf(nodeRuntime.fs, parser, join(dir, 'gone.py'), { path: 'gone.py', language: 'python', hash: 'x' })).rejects.toThrow(/ENOENT/);
  });
});
