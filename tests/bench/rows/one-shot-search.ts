import { measuredRun, median } from '../lib/measured-run.ts';

export interface SearchSetup {
  executable: string;
  dir: string;
  data: string;
  env: NodeJS.ProcessEnv;
  /** An exact name: the first hit must be its definition. */
  name: string;
}

const RUNS = 7;

/** `search NAME --json` run RUNS times as a user runs it: the median wall time, and what it ranked first. */
export async function timeSearch(setup: SearchSetup): Promise<{ p50_s: number; runs_s: number[]; first: string }> {
  const runs: number[] = [];
  let first = '';
  for (let i = 0; i < RUNS; i++) {
    const run = await measuredRun(setup.executable, ['search', setup.name, '--data-dir', setup.data, '--json', '--limit', '10'], { cwd: setup.dir, env: setup.env });
    if (run.code !== 0) throw new Error(`search failed (exit ${run.code}):\n${run.stderr}`);
    const hits = JSON.parse(run.stdout) as Array<{ kind: string; qualified_name: string; path: string; line_start: number }>;
    first = hits[0] ? `${hits[0].kind} ${hits[0].qualified_name} ${hits[0].path}:${hits[0].line_start}` : '(nothing)';
    runs.push(run.seconds);
  }
  return { p50_s: Number(median(runs).toFixed(3)), runs_s: runs, first };
}
