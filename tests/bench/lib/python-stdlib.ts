import { execFileSync, spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

/** A copy of a real tree nobody here wrote: the same files for us, CPython's parser and ctags. */
export interface PythonTree {
  /** Where the files came from, as python3 reports it (never a hard-coded path). */
  source: string;
  root: string;
  files: number;
  lines: number;
  bytes: number;
}

/** Installed packages are not the standard library, and compiled files are not source. */
const SKIPPED = new Set(['site-packages', '__pycache__']);

async function pythonFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED.has(entry.name)) found.push(...(await pythonFiles(path)));
    else if (entry.isFile() && entry.name.endsWith('.py')) found.push(path);
  }
  return found;
}

/** Copy the `.py` files of python3's standard library (found through `sysconfig`) under `dir`. */
export async function copyPythonStdlib(dir: string): Promise<PythonTree> {
  const source = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
  const tree: PythonTree = { source, root: dir, files: 0, lines: 0, bytes: 0 };
  for (const file of await pythonFiles(source)) {
    const target = join(dir, relative(source, file));
    await mkdir(dirname(target), { recursive: true });
    await copyFile(file, target);
    const bytes = await readFile(file);
    tree.files++;
    tree.bytes += bytes.length;
    for (const byte of bytes) if (byte === 10) tree.lines++;
  }
  return tree;
}

const AST_PARSE = `
import ast, os, sys, time
files = sorted(os.path.join(d, n) for d, _, names in os.walk(sys.argv[1]) for n in names if n.endswith('.py'))
started = time.perf_counter()
cpu = time.process_time()
failed = 0
for path in files:
    with open(path, 'rb') as f:
        source = f.read()
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        failed += 1
print(time.perf_counter() - started, time.process_time() - cpu, len(files), failed)
`;

/** CPython's own parser over the same files, timed inside python3 (reading included, start-up not): wall and CPU seconds. */
export function astParseBaseline(root: string): { seconds: number; cpu_s: number; files: number; not_parsed: number } {
  const [seconds, cpu, files, failed] = execFileSync('python3', ['-c', AST_PARSE, root], { encoding: 'utf8' }).trim().split(' ').map(Number);
  return { seconds: Number(seconds!.toFixed(3)), cpu_s: Number(cpu!.toFixed(3)), files: files!, not_parsed: failed! };
}

/** Universal Ctags over the same files (wall time of the whole command), or why it was not run. */
export function ctagsTime(root: string, tagsFile: string): { seconds: number; version: string } | { skipped: string } {
  const version = spawnSync('ctags', ['--version'], { encoding: 'utf8' });
  const first = version.stdout?.split('\n')[0] ?? '';
  if (version.status !== 0 || !first.startsWith('Universal Ctags')) return { skipped: `no Universal Ctags on PATH (${first || version.error?.message})` };
  const started = performance.now();
  const run = spawnSync('ctags', ['-R', '--languages=Python', '-f', tagsFile, root], { encoding: 'utf8' });
  if (run.status !== 0) return { skipped: `ctags failed: ${run.stderr}` };
  return { seconds: Number(((performance.now() - started) / 1000).toFixed(3)), version: first };
}
