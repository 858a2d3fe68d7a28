/**
 * A parse thread (src/analysis/parse-pool.ts starts it): loads the grammars it is sent,
 * then parses one file per request (reading the files sent ahead meanwhile) and answers
 * what to store, the packed references' bytes moved rather than copied.
 */
import { loadRuntime } from '../runtime/index.ts';
import { readJob, runParseJob } from './parse-job.ts';
import type { ThreadReply, ThreadRequest } from './parse-pool.ts';
import { createSourceParser } from './tree-sitter-parser.ts';
import type { SourceParser } from './types.ts';

void loadRuntime().then((runtime) => {
  const port = runtime.threadPort();
  if (!port) throw new Error('parse-worker.ts runs only as a thread that parse-pool.ts started');
  const send = (reply: ThreadReply, transfer?: ArrayBuffer[]) => port.postMessage(reply, transfer);
  let parser: SourceParser | undefined;
  // One file after the other, in the order sent: the pool knows the first one unanswered is the one in hand.
  let previous: Promise<unknown> = Promise.resolve();
  port.onMessage((message) => {
    const request = message as ThreadRequest;
    if (request.type === 'init') {
      const { core, languages } = request.grammars;
      parser = createSourceParser({ grammars: { core, grammar: (language) => languages[language] }, readBytes: runtime.fs.readBytes });
      return;
    }
    // Read (and hashed) at once, parsed in its turn: the thread does not wait on the disk between two files.
    const read = readJob(runtime.fs, request.job);
    // Its failure is heard in its turn, as the file's.
    read.catch(() => undefined);
    previous = previous.then(() =>
      runParseJob(runtime.fs, parser!, request.job, read).then(
        (outcome) => send({ type: 'done', id: request.id, outcome }, outcome.unchanged ? [] : [outcome.content.references.positions.buffer as ArrayBuffer]),
        (error: unknown) => send({ type: 'failed', id: request.id, error: error instanceof Error ? error.message : String(error) }),
      ),
    );
  });
  send({ type: 'ready' });
});
