// Slow but required: issue 12's acceptance on a real tree of ~850,000 lines nobody here
// wrote, python3's standard library (found through sysconfig, never a fixed path).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectName, scanProject } from '../../src/analysis/indexer.ts';
import { createParsePool } from '../../src/analysis/parse-pool.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import type { CodeDatabase, Project } from '../../src/db/code-database.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { startInProcessDriver, OWNER } from '../helpers/driver.ts';
import { openTestCodeIndex } from '../helpers/indexed-project.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

const found = spawnSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' });
const STDLIB = found.status === 0 ? found.stdout.trim() : null;

type Row = [name: string, kind: string, qualified: string, start: number, end: number];

let code: CodeDatabase;
let project: Project;

describe.skipIf(STDLIB === null)("python3's standard library, indexed through the parse threads", () => {
  beforeAll(async () => {
    const driver = await startInProcessDriver();
    code = await openTestCodeIndex(driver.client(OWNER));
    project = await code.ensureProject(STDLIB!, projectName(STDLIB!));
    const parser = createParsePool(nodeRuntime, { size: 2 });
    deferCleanup(() => parser.close());
    const logger = createLogger(nodeRuntime, { level: 'silent' });
    // Installed packages are not the standard library.
    const scan = await scanProject({ fs: nodeRuntime.fs, code, parser, logger, excludeDirs: [join(STDLIB!, 'site-packages')] }, project);
    expect(scan).toMatchObject({ state: 'done', failed: 0, error: null });
    expect(scan.seen).toBeGreaterThan(1000);
  }, 600_000);

  it('stores for every file exactly what an in-process parse of its content gives', async () => {
    const parser = createSourceParser();
    const differ: string[] = [];
    let lines = 0;
    for (const file of await code.files(project.id)) {
      const content = await readFile(join(STDLIB!, file.path), 'utf8');
      const parsed = await parser.parse(content, 'python');
      const stored = (await code.symbolsOf(file.id)).map(({ id: _id, ...symbol }) => symbol);
      if (JSON.stringify(stored) !== JSON.stringify(parsed.symbols) || file.parse_error !== parsed.error) differ.push(file.path);
      lines += file.lines;
    }
    expect(differ).toEqual([]);
    expect(lines).toBeGreaterThan(300_000);
  }, 600_000);

  it("has for every file CPython parses the symbols CPython's own ast sees: names, kinds, qualified names and lines", async () => {
    const expected = JSON.parse(execFileSync('python3', [join(REPO_ROOT, 'test_data/python-ast-symbols.py'), STDLIB!], { encoding: 'utf8', maxBuffer: 1 << 28 })) as Record<string, Row[]>;
    const files = new Map((await code.files(project.id)).map((file) => [file.path, file]));
    const differ: string[] = [];
    const grammarErrors: string[] = [];
    for (const [path, rows] of Object.entries(expected)) {
      const file = files.get(path);
      if (!file) {
        differ.push(`${path}: not indexed`);
        continue;
      }
      // Where tree-sitter's grammar fails on what CPython accepts, the file says so in its error; those are few.
      if (file.parse_error) {
        grammarErrors.push(path);
        continue;
      }
      const lines = (await readFile(join(STDLIB!, path), 'utf8')).split('\n');
      const stored = (await code.symbolsOf(file.id)).map((s): Row => [s.name, s.kind, s.qualified_name, s.line_start, s.line_end]);
      const mismatch = stored.length !== rows.length || stored.some((row, i) => !sameSymbol(row, rows[i]!, lines));
      if (mismatch) differ.push(`${path}: ${JSON.stringify(stored.filter((row, i) => !rows[i] || !sameSymbol(row, rows[i]!, lines)).slice(0, 3))}`);
    }
    expect(differ).toEqual([]);
    expect(grammarErrors.length).toBeLessThan(Object.keys(expected).length / 100);
  }, 600_000);

  it('ranks the definition first when searching an exact name that many files import', async () => {
    for (const [name, kind, path] of [
      ['namedtuple', 'function', 'collections/__init__.py'],
      ['OrderedDict', 'class', 'collections/__init__.py'],
      ['JSONDecoder', 'class', 'json/decoder.py'],
      ['dataclass', 'function', 'dataclasses.py'],
      ['urlopen', 'function', 'urllib/request.py'],
    ]) {
      const hits = await code.search(name!, { projectId: project.id, limit: 5 });
      expect(hits[0], name).toMatchObject({ name, kind, path });
    }
  });
});

/** Equal, but for a definition's last line: tree-sitter's block also holds the comments after its last statement. */
function sameSymbol(stored: Row, expected: Row, lines: string[]): boolean {
  if (stored.slice(0, 4).join('\u0000') !== expected.slice(0, 4).join('\u0000')) return false;
  if (stored[4] === expected[4]) return true;
  return stored[4] > expected[4] && lines.slice(expected[4], stored[4]).every((line) => /^\s*(#.*)?$/.test(line));
}
