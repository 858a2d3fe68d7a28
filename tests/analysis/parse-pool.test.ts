import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createParsePool, type FileParser, inProcessParser, type ThreadReply, type ThreadRequest } from '../../src/analysis/parse-pool.ts';
import type { ParseJob } from '../../src/analysis/parse-job.ts';
import { createSourceParser } from '../../src/analysis/tree-sitter-parser.ts';
import { walkSources } from '../../src/analysis/source-walker.ts';
import { languageOf } from '../../src/analysis/languages.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { Runtime, ThreadEntry } from '../../src/runtime/types.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const local = inProcessParser(nodeRuntime.fs, createSourceParser());

function pool(runtime: Runtime, options: Parameters<typeof createParsePool>[1] = {}): FileParser {
  const created = createParsePool(runtime, options);
  deferCleanup(() => created.close());
  return created;
}

async function sampleJobs(): Promise<ParseJob[]> {
  const jobs: ParseJob[] = [];
  for (const sample of ['py-sample', 'ts-sample']) {
    for await (const file of walkSources(nodeRuntime.fs, join(REPO_ROOT, 'test_data/projects', sample), { languageOf, maxFileBytes: 1 << 20 })) {
      jobs.push({ absolute: file.absolute, language: file.language, knownHash: null });
    }
  }
  return jobs;
}

/**
 * The real runtime, but a thread is ended (as by a crash) the moment the file in its hands
 * (the oldest it was sent and has not answered) is one `doomed` says.
 */
function crashingRuntime(doomed: (job: ParseJob) => boolean): { runtime: Runtime; crashes: () => number } {
  let crashes = 0;
  const runtime: Runtime = {
    ...nodeRuntime,
    startThread(entry) {
      const thread = nodeRuntime.startThread(entry);
      const inHand: ParseJob[] = [];
      let ended = false;
      const check = () => {
        if (!ended && inHand[0] && doomed(inHand[0])) {
          ended = true;
          crashes++;
          void thread.terminate();
        }
      };
      thread.onMessage((message) => {
        if ((message as ThreadReply).type !== 'ready') inHand.shift();
        check();
      });
      return {
        ...thread,
        postMessage(message, transfer) {
          thread.postMessage(message, transfer);
          const request = message as ThreadRequest;
          if (request.type === 'parse') inHand.push(request.job);
          check();
        },
      };
    },
  };
  return { runtime, crashes: () => crashes };
}

describe('the parse pool', () => {
  it('gives for every file exactly what an in-process parse gives, and knows unchanged content by its hash', async () => {
    const threads = pool(nodeRuntime, { size: 2 });
    // Each of the two threads is sent six files ahead.
    expect(threads.concurrency).toBe(12);
    const jobs = await sampleJobs();
    const threaded = await Promise.all(jobs.map((job) => threads.parse(job)));
    const inProcess = await Promise.all(jobs.map((job) => local.parse(job)));
    expect(threaded).toEqual(inProcess);
    expect(threaded.every((outcome) => !outcome.unchanged && outcome.content.symbols.length > 0)).toBe(true);
    const again = await threads.parse({ ...jobs[0]!, knownHash: threaded[0]!.hash });
    expect(again).toEqual({ unchanged: true, size: threaded[0]!.size, hash: threaded[0]!.hash });
  });

  it('hands the file of a thread that died to a new thread, and goes on', async () => {
    let first = true;
    const { runtime, crashes } = crashingRuntime((job) => {
      const doom = first && job.absolute.endsWith('shapes.py');
      if (doom) first = false;
      return doom;
    });
    const threads = pool(runtime, { size: 2 });
    const jobs = await sampleJobs();
    expect(await Promise.all(jobs.map((job) => threads.parse(job)))).toEqual(await Promise.all(jobs.map((job) => local.parse(job))));
    expect(crashes()).toBe(1);
  });

  it('stores a file that kills its thread every time as unparsed, with why, and parses the others', async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, 'poison.py'), 'def never():\n    pass\n');
    await writeFile(join(dir, 'fine.py'), 'def fine():\n    pass\n');
    const { runtime, crashes } = crashingRuntime((job) => job.absolute.endsWith('poison.py'));
    const threads = pool(runtime, { size: 1 });
    const [poison, fine] = await Promise.all(['poison.py', 'fine.py'].map((name) => threads.parse({ absolute: join(dir, name), language: 'python', knownHash: null })));
    expect(poison).toMatchObject({ unchanged: false, lines: 2, content: { symbols: [], error: expect.stringMatching(/^not parsed: the parser's thread died on this file 2 times/) } });
    expect(fine).toMatchObject({ unchanged: false, content: { symbols: [{ name: 'fine' }], error: null } });
    expect(crashes()).toBe(2);
  });

  it('fails every file at once, saying why, when its threads cannot start', async () => {
    const missing: ThreadEntry = { source: new URL('./no-such-module.ts', import.meta.url).href, bundle: 'none.cjs' };
    const runtime: Runtime = { ...nodeRuntime, startThread: () => nodeRuntime.startThread(missing) };
    const threads = pool(runtime, { size: 2 });
    const jobs = await sampleJobs();
    const results = await Promise.allSettled(jobs.map((job) => threads.parse(job)));
    expect(results.every((result) => result.status === 'rejected' && /^parse threads cannot start: /.test(String(result.reason.message)))).toBe(true);
    await expect(threads.parse(jobs[0]!)).rejects.toThrow(/parse threads cannot start/);
  });

  it('rejects a file it cannot read, and everything still waiting once it is closed', async () => {
    const threads = createParsePool(nodeRuntime, { size: 1 });
    await expect(threads.parse({ absolute: '/nonexistent/x.py', language: 'python', knownHash: null })).rejects.toThrow(/ENOENT/);
    const jobs = await sampleJobs();
    const settled = Promise.allSettled(jobs.map((job) => threads.parse(job)));
    await threads.close();
    const results = await settled;
    expect(results.some((result) => result.status === 'rejected' && /closed/.test(String(result.reason.message)))).toBe(true);
    await expect(threads.parse(jobs[0]!)).rejects.toThrow(/closed/);
  });

  it('lets an in-process parser take files while the threads are busy, starting one thread fewer', async () => {
    let started = 0;
    const counting: Runtime = { ...nodeRuntime, startThread: (entry) => (started++, nodeRuntime.startThread(entry)) };
    let inProcess = 0;
    const lane: FileParser = { ...local, parse: (job) => (inProcess++, local.parse(job)) };
    const threads = pool(counting, { size: 2, inProcess: lane });
    const jobs = await sampleJobs();
    expect(await Promise.all(jobs.map((job) => threads.parse(job)))).toEqual(await Promise.all(jobs.map((job) => local.parse(job))));
    expect(started).toBe(1);
    expect(inProcess).toBeGreaterThan(0);
    const alone = pool(counting, { size: 1, inProcess: lane });
    await alone.parse(jobs[0]!);
    expect(started).toBe(1);
  });

  it('starts its threads when warmed, before any file, and no more than its size once files come', async () => {
    let started = 0;
    const counting: Runtime = { ...nodeRuntime, startThread: (entry) => (started++, nodeRuntime.startThread(entry)) };
    const threads = pool(counting, { size: 3, inProcess: local });
    threads.warm();
    expect(started).toBe(2);
    threads.warm();
    const jobs = await sampleJobs();
    expect(await Promise.all(jobs.map((job) => threads.parse(job)))).toEqual(await Promise.all(jobs.map((job) => local.parse(job))));
    expect(started).toBe(2);
  });

  it("leaves large files to the threads while small ones wait: this thread's lane blocks it while it parses", async () => {
    const taken: ParseJob[] = [];
    const lane: FileParser = { ...local, parse: (job) => (taken.push(job), local.parse(job)) };
    const threads = pool(nodeRuntime, { size: 2, inProcess: lane });
    const [first, ...rest] = await sampleJobs();
    const large = Array.from({ length: 8 }, () => ({ ...first!, size: 500_000 }));
    const small = rest.map((job) => ({ ...job, size: 100 }));
    await Promise.all([...large, ...small].map((job) => threads.parse(job)));
    expect(taken[0]?.size).toBe(100);
  });
});
