import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/analysis/parse-job.ts';
import { syntaxTreeReader } from '../../src/analysis/syntax-tree-reader.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const read = syntaxTreeReader(nodeRuntime.fs, createSourceParser());
const hashOf = (text: string) => sha256(new TextEncoder().encode(text));

describe('syntaxTreeReader', () => {
  it('parses the file as it is now, and says whether that is still what was indexed', async () => {
    const root = await makeTempDir();
    await writeFile(join(root, 'm.py'), 'def f():\n    pass\n');
    const file = { path: 'm.py', language: 'python', hash: await hashOf('def f():\n    pass\n') };
    const same = await read(root, file);
    expect(same).toMatchObject({ changed: false, truncated: false, error: null, tree: { type: 'module', children: [{ type: 'function_definition' }] } });

    await writeFile(join(root, 'm.py'), 'class C:\n    pass\n');
    const edited = await read(root, file);
    expect(edited).toMatchObject({ changed: true, tree: { type: 'module', children: [{ type: 'class_definition' }] } });
  });

  it('answers null for a file gone from disk, and refuses a language it has no parser for', async () => {
    const root = await makeTempDir();
    expect(await read(root, { path: 'gone.py', language: 'python', hash: 'x' })).toBeNull();
    await writeFile(join(root, 'notes.txt'), 'hello');
    await expect(read(root, { path: 'notes.txt', language: 'text', hash: 'x' })).rejects.toThrow(/no parser for the language text/);
    await rm(join(root, 'notes.txt'));
  });
});
