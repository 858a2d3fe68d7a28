import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectName, scanProject } from '../../src/analysis/indexer.ts';
import { MAX_NESTING } from '../../src/analysis/nesting.ts';
import { createParsePool } from '../../src/analysis/parse-pool.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { startInProcessDriver, OWNER } from '../helpers/driver.ts';
import { openTestCodeIndex, testFileParser } from '../helpers/indexed-project.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

// Issue 14 case 8: code nested a few thousand levels deep (generated or hostile).
const DEPTH = 3000;
// Python nests by indentation: a file nested 2000 deep is already 2 MB, the size limit.
const INDENTED = 2000;
const indent = (n: number) => ' '.repeat(n);

/** Each file: a definition before and one after the deep part, which must both be found. */
const FILES: Record<string, { text: string; cut: boolean }> = {
  'nested_defs.py': {
    text: `def before():\n    pass\n\n${Array.from({ length: INDENTED }, (_, i) => `${indent(i)}def f${i}():\n`).join('')}${indent(INDENTED)}pass\n\ndef after():\n    pass\n`,
    cut: true,
  },
  'nested_ifs.py': {
    text: `def before():\n    pass\n\n${Array.from({ length: INDENTED }, (_, i) => `${indent(i)}if x${i}:\n`).join('')}${indent(INDENTED)}pass\n\ndef after():\n    pass\n`,
    cut: true,
  },
  'nested_expressions.py': {
    text: `def before():\n    pass\n\nx = ${'('.repeat(DEPTH)}1${')'.repeat(DEPTH)}\ny = ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\nz = f${'(g'.repeat(DEPTH)}${')'.repeat(DEPTH)}\n\ndef after():\n    pass\n`,
    cut: false,
  },
  'nested_functions.ts': { text: `function before() {}\n${'function f() {\n'.repeat(DEPTH)}${'}\n'.repeat(DEPTH)}class after {}\n`, cut: true },
  'nested_classes.ts': { text: `function before() {}\n${'class A { m() {\n'.repeat(DEPTH)}${'}}\n'.repeat(DEPTH)}class after {}\n`, cut: true },
  'nested_expressions.ts': {
    text: `function before() {}\nconst x = ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)};\nconst y = ${'a + '.repeat(DEPTH)}b;\nconst z = ${'{a: '.repeat(DEPTH)}1${'}'.repeat(DEPTH)};\nconst g = ${'() => '.repeat(DEPTH)}1;\nconst c = o${'.m()'.repeat(DEPTH)};\nif (a) {\n${'if (b) {\n'.repeat(DEPTH)}${'}\n'.repeat(DEPTH)}}\nclass after {}\n`,
    cut: false,
  },
};

describe('code nested thousands of levels deep', () => {
  it('is stored with the symbols outside the deep part and an error saying where it was cut, and not parsed again', async () => {
    const root = await makeTempDir();
    for (const [name, { text }] of Object.entries(FILES)) await writeFile(join(root, name), text);
    const driver = await startInProcessDriver();
    const code = await openTestCodeIndex(driver.client(OWNER));
    const project = await code.ensureProject(root, projectName(root));
    const context = { fs: nodeRuntime.fs, code, parser: testFileParser(), logger: createLogger(nodeRuntime, { level: 'silent' }) };
    const first = await scanProject(context, project);
    expect(first).toMatchObject({ state: 'done', seen: 6, indexed: 6, failed: 0, error: null });

    for (const stored of await code.files(project.id)) {
      const symbols = (await code.symbolsOf(stored.id)).map((symbol) => symbol.qualified_name);
      expect(symbols, stored.path).toEqual(expect.arrayContaining(['before', 'after']));
      expect(stored.parse_error ?? '', stored.path).not.toMatch(/call stack/i);
      if (FILES[stored.path]!.cut) {
        expect(stored.parse_error, stored.path).toMatch(new RegExp(`nested deeper than ${MAX_NESTING} levels at \\d+:\\d+; the symbols inside are not indexed`));
        expect(Math.max(...symbols.map((name) => name.split('.').length)), stored.path).toBeLessThanOrEqual(MAX_NESTING);
      }
    }
    // Whole nesting levels up to the limit are kept: f0 … f99 inside each other.
    const functions = (await code.file(project.id, 'nested_functions.ts'))!;
    expect((await code.symbolsOf(functions.id)).filter((symbol) => symbol.name === 'f')).toHaveLength(MAX_NESTING);

    // Stored with its hash like any file: the next scan does not parse it again.
    expect(await scanProject(context, project)).toMatchObject({ state: 'done', indexed: 0, unchanged: 6 });
  });

  it('comes out of the parse threads exactly as out of an in-process parse', async () => {
    const root = await makeTempDir();
    const pool = createParsePool(nodeRuntime, { size: 2 });
    deferCleanup(() => pool.close());
    const local = testFileParser();
    for (const [name, { text }] of Object.entries(FILES)) {
      await writeFile(join(root, name), text);
      const job = { absolute: join(root, name), language: name.endsWith('.py') ? ('python' as const) : ('typescript' as const), knownHash: null };
      expect(await pool.parse(job), name).toEqual(await local.parse(job));
    }
  });
});
