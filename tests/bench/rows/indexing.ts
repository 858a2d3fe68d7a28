import { spawnSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScanProgress } from '../../../src/analysis/indexer.ts';
import { REPO_ROOT } from '../../helpers/paths.ts';
import { measuredRun } from '../lib/measured-run.ts';
import { progress } from '../lib/progress.ts';
import { astParseBaseline, copyPythonStdlib, ctagsTime } from '../lib/python-stdlib.ts';
import { timeSearch } from './one-shot-search.ts';
import { withServer } from './watch-latency.ts';

/** The single executable, as operators run it (built by this row, so it is today's sources). */
export const EXECUTABLE = join(REPO_ROOT, `build/out/code-analysis-${process.platform}-${process.arch}`);

/** An exact name defined once in the tree and imported from many places: its definition must come first. */
const RANKED_NAME = 'namedtuple';

/** Issue 12's goals, each with the figure this run measured. */
function goals(figures: { index_to_ast: number; database_to_source: number; peak_rss_mb: number; watch_p50_ms: number; search_no_server_s: number; search_server_s: number }) {
  const goal = (value: number, limit: number, unit: string) => ({ value, goal: `≤ ${limit}${unit}`, met: value <= limit });
  return {
    index_wall_time_vs_ast_parse: goal(figures.index_to_ast, 1.5, '×'),
    database_bytes_vs_source_bytes: goal(figures.database_to_source, 1.5, '×'),
    index_peak_rss_mb: goal(figures.peak_rss_mb, 250, ' MB'),
    changed_file_searchable_after_settle_p50_ms: goal(figures.watch_p50_ms, 100, ' ms'),
    one_shot_search_no_server_p50_s: goal(figures.search_no_server_s, 0.4, ' s'),
    one_shot_search_with_server_p50_s: goal(figures.search_server_s, 0.15, ' s'),
  };
}

async function databaseBytes(dataDir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dataDir)) if (name.startsWith('code_analysis.db')) total += (await stat(join(dataDir, name))).size;
  return total;
}

/**
 * Issue 12's row: python3's standard library (a real tree of ~1,800 files and ~850,000
 * lines nobody here wrote) indexed by the single executable's `index`, against CPython's
 * own `ast.parse` of the same files and Universal Ctags in the same run; the database's
 * size, the peak memory, one-shot `search` without and with a server, and how soon a
 * changed file is searchable under `serve --watch`.
 */
export async function indexing(dir: string) {
  progress('indexing: building the single executable');
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'build/build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);

  progress("indexing: copying python3's standard library");
  const tree = await copyPythonStdlib(join(dir, 'stdlib'));
  progress(`indexing: ${tree.files} files, ${tree.lines} lines; CPython ast.parse baseline`);
  const ast = astParseBaseline(tree.root);
  const ctags = ctagsTime(tree.root, join(dir, 'tags'));

  const env = { PATH: process.env.PATH, HOME: dir, CODE_ANALYSIS_CACHE_DIR: join(dir, 'cache') };
  // The executable extracts its files on first use; that is not indexing time.
  const warm = await measuredRun(EXECUTABLE, ['index', join(REPO_ROOT, 'test_data/projects/py-sample'), '--data-dir', join(dir, 'warm')], { cwd: dir, env });
  if (warm.code !== 0) throw new Error(`warm-up index failed: ${warm.stderr}`);

  progress('indexing: code-analysis index');
  const data = join(dir, 'data');
  const run = await measuredRun(EXECUTABLE, ['index', tree.root, '--data-dir', data, '--json'], { cwd: dir, env, childPidFile: join(data, 'run/driver.pid') });
  if (run.code !== 0) throw new Error(`index failed (exit ${run.code}):\n${run.stderr}`);
  const [scan] = JSON.parse(run.stdout) as ScanProgress[];
  if (scan?.state !== 'done' || scan.seen !== tree.files) throw new Error(`index did not index the whole tree: ${run.stdout}`);
  const database = await databaseBytes(data);

  progress('indexing: one-shot search, without and with a server; a changed file under serve --watch');
  const setup = { executable: EXECUTABLE, dir, data, env, name: RANKED_NAME };
  const noServer = await timeSearch(setup);
  const served = await withServer({ ...setup, root: tree.root });
  const search = { query: RANKED_NAME, no_server_p50_s: noServer.p50_s, with_server_p50_s: served.search.p50_s, first_hit: noServer.first, no_server_runs_s: noServer.runs_s, with_server_runs_s: served.search.runs_s };
  const watch = served.watch;

  const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
  return {
    tree: { what: "python3's standard library (.py files, without site-packages)", source: tree.source, files: tree.files, lines: tree.lines, bytes: tree.bytes },
    via: 'the single executable (build/out), `index DIR` with its transient driver',
    baseline_ast_parse: ast,
    ctags,
    index: {
      seconds: run.seconds,
      cpu_s: run.cpu_s,
      indexed: scan.indexed,
      parse_errors: scan.parse_errors,
      symbols: scan.symbols,
      peak_rss_mb: run.peak_rss_mb,
      driver_peak_rss_mb: run.child_peak_rss_mb,
      database_bytes: database,
    },
    index_to_ast_parse_ratio: ratio(run.seconds, ast.seconds),
    // The work done, whatever else runs on the machine: all threads of index and its driver against python3's.
    index_to_ast_parse_cpu_ratio: ratio(run.cpu_s, ast.cpu_s),
    index_to_ctags_ratio: 'seconds' in ctags ? ratio(run.seconds, ctags.seconds) : null,
    database_to_source_ratio: ratio(database, tree.bytes),
    search,
    watch,
    goals: goals({
      index_to_ast: ratio(run.seconds, ast.seconds),
      database_to_source: ratio(database, tree.bytes),
      peak_rss_mb: run.peak_rss_mb,
      watch_p50_ms: watch.searchable_after_settle_p50_ms,
      search_no_server_s: search.no_server_p50_s,
      search_server_s: search.with_server_p50_s,
    }),
  };
}
