import { defineCommand } from 'citty';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { earlyParser } from '../../analysis/early-parse.ts';
import { type ListedSources, listSources, parseJob, projectName, scanProject, type ScanProgress } from '../../analysis/indexer.ts';
import { indexingParser } from '../../analysis/parse-pool.ts';
import { parseFlags } from '../args.ts';
import { CONFIG_ARGS, loadConfigFromArgs } from '../config-args.ts';
import type { CliContext } from '../context.ts';
import { withDatabase } from '../database-session.ts';
import { createLogger } from '../../runtime/logger.ts';
import { progressBar } from '../progress-bar.ts';

const IndexFlags = v.object({
  log_level: v.optional(v.picklist(['silent', 'error', 'warn', 'info', 'debug'], 'must be silent, error, warn, info or debug'), 'warn'),
  json: v.boolean(),
});

/**
 * Files parsed while the driver starts (about 0.2 s): about what the parse threads and
 * this one get through meanwhile. Parsed for nothing when the index holds them unchanged.
 */
const EARLY_FILES = 32;

function summary(result: ScanProgress): string {
  return `${result.root}: ${result.state}, ${result.seen} files (${result.indexed} indexed, ${result.unchanged} unchanged, ${result.removed} removed, ${result.failed} failed, ${result.parse_errors} with parse errors), ${result.symbols} symbols written${result.error ? ` — ${result.error}` : ''}`;
}

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'index', description: 'Index directories once, with a progress bar, through the running or a transient driver' },
    args: {
      dirs: { type: 'positional', description: 'Directories to index (each one is a project)', required: true },
      ...CONFIG_ARGS,
      json: { type: 'boolean', default: false, description: 'Print the results as JSON' },
      'log-level': { type: 'string', description: 'silent|error|warn|info|debug (default warn)' },
    },
    async run({ args }) {
      const { runtime } = context;
      const flags = parseFlags(IndexFlags, { log_level: args['log-level'], json: args.json });
      const dirs = args._.map((dir) => resolve(runtime.cwd(), String(dir)));
      const { config } = await loadConfigFromArgs(runtime, args);
      const logger = createLogger(runtime, { level: flags.log_level, tag: 'index' });
      const parser = earlyParser(indexingParser(runtime));
      // While the driver starts: the parse threads start (and load their grammars), the sources are listed, and the first files parsed.
      parser.warm();
      const excludeDirs = [config.data_dir];
      const listings = dirs.map(async (root, index): Promise<ListedSources | null> => {
        if (!(await runtime.fs.stat(root))?.isDirectory) return null;
        const listed = await listSources(runtime.fs, root, { excludeDirs });
        if (index === 0) parser.parseEarly(listed.files.slice(0, EARLY_FILES).map((file) => parseJob(file, null)));
        return listed;
      });
      // Each is awaited in its turn below; one the command never reaches (an earlier directory failed) must not reject unheard.
      for (const listing of listings) listing.catch(() => undefined);
      let results: ScanProgress[];
      try {
        results = await withDatabase(runtime, config, logger, async ({ code }) => {
          const done: ScanProgress[] = [];
          for (const [index, root] of dirs.entries()) {
            const listed = await listings[index]!;
            if (!listed) throw new Error(`${root} is not a directory`);
            const bar = progressBar(runtime, root, listed.files.length);
            const project = await code.ensureProject(root, projectName(root));
            const result = await scanProject(
              { fs: runtime.fs, code, parser, logger, excludeDirs },
              project,
              (progress) => bar.update(progress.seen, `(${progress.indexed} indexed, ${progress.unchanged} unchanged)`),
              undefined,
              listed,
            );
            bar.finish(result.seen, `(${result.indexed} indexed, ${result.unchanged} unchanged)`);
            done.push(result);
          }
          return done;
        });
      } finally {
        await parser.close();
      }
      runtime.writeStdout(flags.json ? `${JSON.stringify(results, null, 2)}\n` : `${results.map(summary).join('\n')}\n`);
      if (results.some((result) => result.state !== 'done')) context.exitCode = 1;
    },
  });
