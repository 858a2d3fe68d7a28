import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import { runCli } from '../helpers/cli.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { pythonJsonPackage } from '../helpers/python-ast.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const parser = createSourceParser();

/** The test's own count: every source file under `root`, parsed directly, symbols summed. */
async function independentCount(root: string): Promise<{ files: number; symbols: number }> {
  let files = 0;
  let symbols = 0;
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const language = parser.languageOf(entry.name);
    if (!language) continue;
    const parsed = await parser.parse(await readFile(join(entry.parentPath, entry.name), 'utf8'), language);
    files++;
    symbols += parsed.symbols.length;
  }
  return { files, symbols };
}

interface ScanResult {
  root: string;
  state: string;
  seen: number;
  indexed: number;
  unchanged: number;
  failed: number;
  symbols: number;
}

describe('code-analysis index and search', () => {
  it('indexes real third-party trees with no crash, the same symbol count as an independent count, and writes nothing the second time', async () => {
    const dir = await makeTempDir();
    const trees = [join(REPO_ROOT, 'node_modules/hono/dist')];
    const python = await pythonJsonPackage();
    if (python) trees.push(python);
    else console.warn('python3 not found: indexing only the npm tree');

    const first = await runCli(['index', ...trees, '--data-dir', dir, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const results = JSON.parse(first.stdout) as ScanResult[];
    for (const [index, root] of trees.entries()) {
      const expected = await independentCount(root);
      expect(results[index]).toMatchObject({ root, state: 'done', failed: 0, seen: expected.files, indexed: expected.files, symbols: expected.symbols });
      expect(expected.symbols).toBeGreaterThan(20);
    }

    const second = await runCli(['index', ...trees, '--data-dir', dir, '--json']);
    expect(second.code, second.stderr).toBe(0);
    for (const result of JSON.parse(second.stdout) as ScanResult[]) {
      expect(result).toMatchObject({ state: 'done', indexed: 0, symbols: 0, failed: 0 });
      expect(result.unchanged).toBe(result.seen);
    }

    if (python) {
      const search = await runCli(['search', 'raw_decode', '--data-dir', dir, '--json']);
      expect(search.code, search.stderr).toBe(0);
      const hits = JSON.parse(search.stdout) as Array<Record<string, unknown>>;
      expect(hits[0]).toEqual({
        name: 'raw_decode',
        kind: 'method',
        qualified_name: 'JSONDecoder.raw_decode',
        path: 'decoder.py',
        line_start: expect.any(Number),
        line_end: expect.any(Number),
      });
      expect(Object.keys(hits[0]!)).toEqual(['name', 'kind', 'qualified_name', 'path', 'line_start', 'line_end']);
    }
    const human = await runCli(['search', 'HTTPException', '--kind', 'class', '--data-dir', dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^class\s+HTTPException\s+\S+\/http-exception\.(js|d\.ts):\d+-\d+$/m);
  });

  it('refuses bad arguments with exit code 2 and a missing directory with exit code 1', async () => {
    const dir = await makeTempDir();
    expect((await runCli(['search', 'x', '--kind', 'enum', '--data-dir', dir])).code).toBe(2);
    expect((await runCli(['search', 'x', '--limit', '0', '--data-dir', dir])).code).toBe(2);
    const missing = await runCli(['index', join(dir, 'nowhere'), '--data-dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${join(dir, 'nowhere')} is not a directory`);
  });
});
