import type { ParseJob, ParseOutcome } from './parse-job.ts';
import type { FileParser } from './parse-pool.ts';

/** A FileParser that can be given files to parse before a scan asks for them. */
export interface EarlyParser extends FileParser {
  /** Start parsing these files now, as not indexed yet (no hash known). */
  parseEarly(jobs: ParseJob[]): void;
}

/**
 * Parsing that starts before the database has said what it holds (issue 12): `index`
 * parses its first files while the driver starts, instead of leaving the cores idle. A
 * file parsed early is parsed as new; when the scan then asks for it with the hash the
 * index holds and that is the hash it had, it is answered unchanged, as a parse told the
 * hash would have answered. A file the scan never asks for (unchanged by its size and
 * mtime) was parsed for nothing, no more.
 */
export function earlyParser(parser: FileParser): EarlyParser {
  const early = new Map<string, Promise<ParseOutcome>>();
  return {
    get concurrency() {
      return parser.concurrency;
    },
    parseEarly(jobs) {
      for (const job of jobs) {
        const outcome = parser.parse({ ...job, knownHash: null });
        // Heard here too: a file the scan never asks for must not reject unheard.
        outcome.catch(() => undefined);
        early.set(job.absolute, outcome);
      }
    },
    parse(job) {
      const outcome = early.get(job.absolute);
      if (!outcome) return parser.parse(job);
      early.delete(job.absolute);
      return outcome.then((parsed) => (parsed.hash === job.knownHash ? { unchanged: true, size: parsed.size, hash: parsed.hash } : parsed));
    },
    warm: () => parser.warm(),
    close: () => parser.close(),
  };
}
