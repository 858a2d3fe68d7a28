import type { FileSystem, Runtime, ThreadEntry, WorkerThread } from '../runtime/types.ts';
import { defaultGrammarFiles, type GrammarFiles } from './grammar-files.ts';
import { LANGUAGES } from './languages.ts';
import { type ParseJob, type ParseOutcome, runParseJob, unparsedOutcome } from './parse-job.ts';
import { createSourceParser } from './tree-sitter-parser.ts';
import type { Language, SourceParser } from './types.ts';

/** Parses files into what the index stores: in process, or in a pool of threads. */
export interface FileParser {
  parse(job: ParseJob): Promise<ParseOutcome>;
  /** How many files it parses at once: how many a caller should keep in flight to keep it busy. */
  readonly concurrency: number;
  /** Start what parsing needs (threads, their grammars) now, e.g. while the database opens, instead of on the first file. */
  warm(): void;
  close(): Promise<void>;
}

/** The grammar files as plain data a thread can receive. */
export interface GrammarPaths {
  core: string;
  languages: Record<Language, string>;
}

/** Parent to thread; the thread says `ready` first, so nothing is sent before it listens. */
export type ThreadRequest = { type: 'init'; grammars: GrammarPaths } | { type: 'parse'; id: number; job: ParseJob };
export type ThreadReply = { type: 'ready' } | { type: 'done'; id: number; outcome: ParseOutcome } | { type: 'failed'; id: number; error: string };

export const PARSE_THREAD: ThreadEntry = { source: new URL('./parse-worker.ts', import.meta.url).href, bundle: 'parse-worker.cjs' };

/** A thread that dies before it ever answers this many times in a row: the pool cannot work. */
const MAX_START_FAILURES = 3;
/** A file whose thread dies this many times is stored unparsed (a pathological file must not kill every scan). */
const MAX_ATTEMPTS = 2;

export function inProcessParser(fs: FileSystem, parser: SourceParser): FileParser {
  return { parse: (job) => runParseJob(fs, parser, job), concurrency: 1, warm: () => undefined, close: async () => undefined };
}

interface Pending {
  job: ParseJob;
  attempts: number;
  resolve(outcome: ParseOutcome): void;
  reject(error: Error): void;
}

interface Slot {
  thread: WorkerThread;
  ready: boolean;
  /** Files sent, by request id, oldest first: the thread parses them in that order, the first is in hand. */
  sent: Map<number, Pending>;
}

/**
 * Files a thread is sent ahead: it goes from one to the next without waiting for this
 * thread, which may be busy parsing or writing when it finishes one.
 */
const SENT_AHEAD = 6;

/**
 * This thread's own lane takes files up to this size, and larger ones only when every
 * thread is full: parsing blocks this thread (its writes, the threads' next files), so a
 * large file is better left to a thread.
 */
const LOCAL_PREFERRED_BYTES = 32 * 1024;

export interface ParsePoolOptions {
  /** Files parsed at once; the machine's parallelism (at most 4) by default. */
  size?: number;
  grammars?: GrammarFiles;
  /**
   * A parser in this thread that takes a file whenever every thread is busy: then one
   * thread fewer is started (each costs its own heap and grammar memory), and this thread,
   * mostly waiting on the database otherwise, does its share.
   */
  inProcess?: FileParser;
}

/**
 * A pool of parse threads (issue 12): each loads the grammars once and parses one file at
 * a time (so does the optional in-process parser, when the threads are all busy). A thread
 * that dies (crash, out of memory, terminated) is replaced and its file handed to another;
 * a file that kills its thread twice is stored with that as its error. Threads start on
 * first use and end with close().
 */
export function createParsePool(runtime: Runtime, options: ParsePoolOptions = {}): FileParser {
  const size = Math.max(1, options.size ?? Math.min(runtime.parallelism, 4));
  const local = options.inProcess;
  const threads = local ? size - 1 : size;
  let localBusy = false;
  const grammarFiles = options.grammars ?? defaultGrammarFiles();
  let grammars: GrammarPaths | undefined;
  const slots = new Set<Slot>();
  const queue: Pending[] = [];
  let nextId = 1;
  let startFailures = 0;
  let broken: Error | null = null;
  let closed = false;

  const fail = (error: Error) => {
    broken = error;
    for (const pending of queue.splice(0)) pending.reject(error);
  };

  const spawn = () => {
    // Paths resolved here, once: in the single executable this extracts and checks the files.
    grammars ??= { core: grammarFiles.core, languages: Object.fromEntries(LANGUAGES.map((language) => [language, grammarFiles.grammar(language)])) as Record<Language, string> };
    const slot: Slot = { thread: runtime.startThread(PARSE_THREAD), ready: false, sent: new Map() };
    slots.add(slot);
    slot.thread.onMessage((message) => receive(slot, message as ThreadReply));
    slot.thread.onExit((error) => exited(slot, error ?? new Error('the thread ended')));
  };

  const receive = (slot: Slot, reply: ThreadReply) => {
    if (reply.type === 'ready') {
      slot.ready = true;
      startFailures = 0;
      slot.thread.postMessage({ type: 'init', grammars: grammars! } satisfies ThreadRequest);
    } else {
      const pending = slot.sent.get(reply.id);
      slot.sent.delete(reply.id);
      if (reply.type === 'done') pending?.resolve(reply.outcome);
      else pending?.reject(new Error(reply.error));
    }
    pump();
  };

  const exited = (slot: Slot, error: Error) => {
    slots.delete(slot);
    if (closed) return;
    if (!slot.ready && ++startFailures >= MAX_START_FAILURES) {
      fail(new Error(`parse threads cannot start: ${error.message}`));
      return;
    }
    // The oldest file sent was the one in hand: it counts the death; the others only wait again.
    const [inHand, ...waiting] = slot.sent.values();
    queue.unshift(...waiting);
    if (inHand && ++inHand.attempts >= MAX_ATTEMPTS) {
      unparsedOutcome(runtime.fs, inHand.job, `not parsed: the parser's thread died on this file ${inHand.attempts} times (${error.message})`).then(
        inHand.resolve,
        inHand.reject,
      );
    } else if (inHand) {
      queue.unshift(inHand);
    }
    pump();
  };

  const pump = () => {
    if (closed || broken) return;
    for (const slot of slots) {
      while (slot.ready && slot.sent.size < SENT_AHEAD && queue.length > 0) {
        const pending = queue.shift()!;
        const id = nextId++;
        slot.sent.set(id, pending);
        slot.thread.postMessage({ type: 'parse', id, job: pending.job } satisfies ThreadRequest);
      }
    }
    // More threads only while files wait that the idle (or starting) ones will not take.
    let idle = [...slots].filter((slot) => slot.sent.size === 0).length;
    while (slots.size < threads && queue.length > idle + (local && !localBusy ? 1 : 0)) {
      spawn();
      idle++;
    }
    // A large file goes to this lane only when no thread will take it soon (none to come, or all full).
    const threadsFull = slots.size >= threads && [...slots].every((slot) => slot.ready && slot.sent.size >= SENT_AHEAD);
    const small = queue.findIndex((waiting) => (waiting.job.size ?? 0) <= LOCAL_PREFERRED_BYTES);
    const next = small >= 0 ? small : threadsFull ? 0 : -1;
    const pending = local && !localBusy && next >= 0 ? queue.splice(next, 1)[0] : undefined;
    if (local && pending) {
      localBusy = true;
      local
        .parse(pending.job)
        .then(pending.resolve, pending.reject)
        .finally(() => {
          localBusy = false;
          pump();
        });
    }
  };

  return {
    // Enough in flight to keep every thread's files sent ahead, and this thread's lane.
    concurrency: threads * SENT_AHEAD + (local ? 1 : 0),
    parse(job) {
      if (broken) return Promise.reject(broken);
      if (closed) return Promise.reject(new Error('the parse pool is closed'));
      return new Promise<ParseOutcome>((resolve, reject) => {
        queue.push({ job, attempts: 0, resolve, reject });
        pump();
      });
    },
    warm() {
      while (!closed && !broken && slots.size < threads) spawn();
    },
    async close() {
      closed = true;
      const inFlight = [...slots].flatMap((slot) => [...slot.sent.values()]);
      for (const pending of [...queue.splice(0), ...inFlight]) pending.reject(new Error('the parse pool is closed'));
      await Promise.all([...slots].map((slot) => slot.thread.terminate()));
      slots.clear();
    },
  };
}

/**
 * What indexing parses with: as many files at once as the machine has cores (at most 4),
 * this thread being one of them when the threads are busy (one thread fewer to start,
 * with its heap and grammar memory).
 */
export function indexingParser(runtime: Runtime): FileParser {
  return createParsePool(runtime, { inProcess: inProcessParser(runtime.fs, createSourceParser({ readBytes: runtime.fs.readBytes })) });
}
