/**
 * `npm run bench`: what going through the driver process costs, against in-process
 * better-sqlite3 measured in the same run. Prints exactly one JSON object on stdout;
 * progress goes to stderr. Every row uses fresh database files.
 */
import { join } from 'node:path';
import { ClientPool } from './lib/client-pool.ts';
import { describeMachine, loadAverage } from './lib/machine.ts';
import { progress } from './lib/progress.ts';
import { cleanupNow, makeScratchDir } from './lib/scratch.ts';
import { SETTINGS } from './lib/settings.ts';
import { autocommitInserts } from './rows/autocommit-insert.ts';
import { groupCommit } from './rows/group-commit.ts';
import { insertMany } from './rows/insert-many.ts';
import { indexing } from './rows/indexing.ts';
import { concurrentPointSelects } from './rows/concurrent-selects.ts';
import { goals } from './lib/goals.ts';
import { longStatement } from './rows/long-statement.ts';
import { mcpRows } from './rows/mcp.ts';
import { pointSelectAndPing } from './rows/point-select.ts';
import { postgresRows } from './rows/postgres.ts';
import { startup } from './rows/startup.ts';
import { vectorSearch } from './rows/vector-search.ts';
import { labelledTrees } from './semantic/corpus.ts';
import { loadQuerySet } from './semantic/query-set.ts';
import { throughDriver } from './semantic/through-driver.ts';
import { runCleanups } from '../helpers/cleanup.ts';
import { postgresAvailable } from '../helpers/postgres.ts';

const LEGEND = {
  ops_per_s: 'completed calls per second of wall time (several processes: their total)',
  mean_us_p50_us_p99_us: 'latency of one call in microseconds, as seen by the caller',
  throughput_ratio: 'candidate ops/s ÷ baseline ops/s (below 1 = slower than the baseline)',
  latency_ratio: 'candidate mean latency ÷ baseline mean latency (above 1 = slower)',
  baseline_in_process: 'better-sqlite3 in the bench process, prepared statements, WAL, synchronous=FULL',
  rpc: 'a real `code-analysis driver` child process reached through DatabaseClient/RpcClient over its Unix socket',
  postgres: 'baseline = postgres.js in the bench process on one connection; driver_process = the driver child on PostgreSQL; in_process = the same DriverService in the bench process, no socket',
  goals: "issue 13's goals, each with the figure of this run: met or not",
  long_statement: 'pings and point selects on their own connections while one statement runs until its deadline stops it, and the same pings alone',
  startup: 'p50 wall ms of one-shot commands, the single executable (build/out/, from npm run build) vs node running the same bundle, interleaved; search_no_server starts and stops a transient driver',
  indexing: "issue 12: python3's standard library indexed by the single executable vs CPython's ast.parse of the same files (and Universal Ctags); database size, peak memory, one-shot search, a changed file under serve --watch; `goals` says which are met",
  vector_search:
    'issue 11: vector_search top k over int8 vectors of one project (a where on the project column) through the driver child, SQLite (sqlite-vec) and PostgreSQL (a pgvector HNSW index where the server has pgvector, else the exact scan in the driver; `ranking` says which), vs the same exact scan in the bench process over Float32Arrays; p50_ratio = driver p50 ÷ baseline p50; recall_at_k_vs_float32 = share of the exact float top k the int8 search answers',
  semantic:
    "issue 11: python3's standard library and hono's dist/ indexed through a driver child (files and definitions per second), embedded by the vectorizer with the builtin model (fit seconds, definitions per second; embed_to_index_ratio above 1 = embedding keeps up with indexing), the database's growth per embedded definition, and the labelled questions (test_data/semantic/queries.json) answered by semantic search through the driver: recall@10, MRR, p50/p99 ms",
  mcp: 'the MCP tools through POST /mcp of a real serve that indexed the tree (SDK client, one call at a time); grep_rnw = `grep -rnw NAME` over the same tree for the same names, one spawn per call; find_references_speedup_over_grep_p50 = grep p50 ÷ find_references p50 (above 1 = the index answers faster)',
};

const ROWS = ['point_select', 'concurrent_point_select', 'long_statement', 'autocommit_insert', 'insert_many', 'group_commit', 'postgres', 'vector_search', 'indexing', 'semantic', 'startup', 'mcp'] as const;
type RowName = (typeof ROWS)[number];

/**
 * `BENCH_ONLY=insert_many,postgres npm run bench` runs those rows alone (with the baselines
 * they are measured against), for work on one figure; the goals are judged on full runs only.
 */
function selectedRows(): ReadonlySet<RowName> {
  const asked = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!asked?.length) return new Set(ROWS);
  const unknown = asked.filter((name) => !(ROWS as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`BENCH_ONLY: unknown row ${unknown.join(', ')}; rows are ${ROWS.join(', ')}`);
  return new Set(asked as RowName[]);
}

const NOT_SELECTED = { skipped: 'not in BENCH_ONLY' } as const;

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const date = new Date().toISOString();
  const loadAtStart = loadAverage();
  const rows = selectedRows();
  const run = <T,>(name: RowName, measure: () => Promise<T>) => (rows.has(name) ? measure() : Promise.resolve(NOT_SELECTED));
  const dir = await makeScratchDir();
  let pool: ClientPool | undefined;
  try {
    if (rows.has('concurrent_point_select') || rows.has('autocommit_insert') || rows.has('group_commit')) {
      progress(`scratch directory ${dir}; starting ${SETTINGS.clientProcesses} client processes`);
      // Started before anything is measured, so their start-up never competes with a measurement.
      pool = await ClientPool.start(SETTINGS.clientProcesses);
    }
    const clients = () => pool!;
    const selects = rows.has('point_select') || rows.has('concurrent_point_select') ? await pointSelectAndPing(join(dir, 'select'), SETTINGS) : undefined;
    const concurrent_point_select = await run('concurrent_point_select', () => concurrentPointSelects(join(dir, 'select-concurrent'), SETTINGS, clients(), selects!.point_select.baseline_in_process));
    const long_statement = await run('long_statement', () => longStatement(join(dir, 'long'), SETTINGS));
    const inserts = rows.has('autocommit_insert') || rows.has('group_commit') ? await autocommitInserts(join(dir, 'insert'), SETTINGS, clients()) : undefined;
    const insert_many = await run('insert_many', () => insertMany(join(dir, 'bulk'), SETTINGS));
    const group_commit = await run('group_commit', () => groupCommit(join(dir, 'group'), SETTINGS, clients(), inserts!.baseline_in_process));
    const postgres_rows = await run('postgres', async () => (postgresAvailable ? await postgresRows(join(dir, 'postgres'), SETTINGS) : { skipped: 'no initdb/pg_ctl on this machine' }));
    const vector_search = await run('vector_search', () => vectorSearch(join(dir, 'vectors'), SETTINGS.vectorSearch, postgresAvailable));
    const indexing_row = await run('indexing', () => indexing(join(dir, 'indexing')));
    const semantic = await run('semantic', () => {
      progress('semantic: embedding and questions through the driver');
      return throughDriver(join(dir, 'semantic'), labelledTrees(), loadQuerySet());
    });
    const startup_row = await run('startup', () => startup(join(dir, 'startup')));
    const mcp = await run('mcp', () => mcpRows());
    const everything = rows.size === ROWS.length;
    const report = {
      benchmark: 'code-analysis driver',
      date,
      machine: { ...describeMachine(), load_average_at_start: loadAtStart, load_average_at_end: loadAverage() },
      settings: SETTINGS,
      legend: LEGEND,
      goals: everything
        ? goals({
            point_select: selects!.point_select,
            ping: selects!.ping,
            insert_many: insert_many as Exclude<typeof insert_many, typeof NOT_SELECTED>,
            concurrent_point_select: concurrent_point_select as Exclude<typeof concurrent_point_select, typeof NOT_SELECTED>,
            long_statement: long_statement as Exclude<typeof long_statement, typeof NOT_SELECTED>,
            postgres: postgres_rows as Exclude<typeof postgres_rows, typeof NOT_SELECTED>,
          })
        : NOT_SELECTED,
      point_select: rows.has('point_select') ? selects!.point_select : NOT_SELECTED,
      concurrent_point_select,
      long_statement,
      autocommit_insert: rows.has('autocommit_insert') ? inserts! : NOT_SELECTED,
      ping: rows.has('point_select') ? selects!.ping : NOT_SELECTED,
      insert_many,
      group_commit,
      postgres: postgres_rows,
      vector_search,
      indexing: indexing_row,
      semantic,
      startup: startup_row,
      mcp,
      elapsed_s: Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await pool?.close();
    // The PostgreSQL server of the run, and anything else the shared test helpers started.
    await runCleanups();
    // Also kills whatever a failure left running: a live IPC child would keep this process alive.
    cleanupNow();
  }
}

main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
