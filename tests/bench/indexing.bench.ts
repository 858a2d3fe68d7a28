/**
 * `npx tsx tests/bench/indexing.bench.ts`: issue 12's row alone (it is also part of
 * `npm run bench`). Prints one JSON object on stdout; progress goes to stderr.
 */
import { describeMachine, loadAverage } from './lib/machine.ts';
import { progress } from './lib/progress.ts';
import { cleanupNow, makeScratchDir } from './lib/scratch.ts';
import { indexing } from './rows/indexing.ts';

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadAverage();
  const dir = await makeScratchDir();
  try {
    const row = await indexing(dir);
    const machine = { ...describeMachine(), load_average_at_start: loadAtStart, load_average_at_end: loadAverage() };
    process.stdout.write(`${JSON.stringify({ benchmark: 'code-analysis indexing', date: new Date().toISOString(), machine, indexing: row, elapsed_s: Math.round((performance.now() - started) / 1000) }, null, 2)}\n`);
  } finally {
    cleanupNow();
  }
}

main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
