/**
 * The semantic search evaluation on its own (`npm run bench:semantic [-- --ablation | --driver-only]`):
 * prints one JSON object on stdout and a readable table of the figures on stderr.
 * See rows/semantic-search.ts for what is measured.
 */
import { cleanupNow, makeScratchDir } from './lib/scratch.ts';
import { describeMachine, loadAverage } from './lib/machine.ts';
import { progress } from './lib/progress.ts';
import { join } from 'node:path';
import { semanticSearch } from './rows/semantic-search.ts';
import { labelledTrees } from './semantic/corpus.ts';
import { loadQuerySet } from './semantic/query-set.ts';
import { throughDriver } from './semantic/through-driver.ts';

const LEGEND = {
  name: "today's `search`, approximated in process: every word a prefix of a name, qualified name or docstring token; exact name, then prefix, then contains, then BM25",
  full_text: 'BM25 in process over name + qualified name + path (×3), signature, docstring, member names and first body lines (×½), sub-words, stop words, Porter stems',
  vectors: 'cosine of builtin (LSI) vectors, exact scan over every symbol',
  hybrid: 'src/embeddings/hybrid-ranking.ts: exact names first, then prior × (0.7·bm25/max + 0.3·cosine); priors ½ for test code, 0.7 for private names',
  full_text_with_priors: 'the hybrid with vector weight 0: what the vectors add is hybrid minus this',
  hybrid_rrf: 'reciprocal rank fusion (k = 60) of the same two lists with the same priors',
  recall_at_10: 'share of queries with an expected definition in the top 10',
  mrr: 'mean of 1/rank of the first expected definition (0 below rank 100)',
};

async function main(): Promise<void> {
  const dir = await makeScratchDir();
  try {
    if (process.argv.includes('--driver-only')) {
      const report = await throughDriver(join(dir, 'driver'), labelledTrees(), loadQuerySet());
      process.stdout.write(`${JSON.stringify({ benchmark: 'semantic search through the driver', date: new Date().toISOString(), machine: describeMachine(), ...report }, null, 2)}\n`);
      return;
    }
    const report = await semanticSearch(dir, { ablation: process.argv.includes('--ablation') });
    process.stdout.write(`${JSON.stringify({ benchmark: 'semantic search', date: new Date().toISOString(), machine: { ...describeMachine(), load_average: loadAverage() }, legend: LEGEND, ...report }, null, 2)}\n`);
    const driver = report.through_driver;
    progress(
      `through the driver: hybrid recall@10 ${driver.hybrid.recall_at_10.toFixed(3)}   MRR ${driver.hybrid.mrr.toFixed(3)}; ` +
        `full text only recall@10 ${driver.full_text_only.recall_at_10.toFixed(3)}   MRR ${driver.full_text_only.mrr.toFixed(3)}; query p50 ${driver.speed.query_ms.p50} ms`,
    );
    const rows = Object.entries(report.results).map(([method, figures]) => `  ${method.padEnd(22)} recall@10 ${figures.recall_at_10.toFixed(3)}   MRR ${figures.mrr.toFixed(3)}`);
    progress(`semantic: ${report.corpus.symbols} symbols, ${report.corpus.queries} queries\n${rows.join('\n')}`);
  } finally {
    cleanupNow();
  }
}

main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
