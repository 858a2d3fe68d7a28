import { RpcError } from '../../ipc/errors.ts';
import { loadRuntime } from '../../runtime/index.ts';
import type { ThreadPort } from '../../runtime/types.ts';
import type { BackupFiles } from '../types.ts';
import { ConnectionRunner } from './sqlite-calls.ts';
import type { FileOperation, FromThread, ThreadError, ToThread } from './thread-messages.ts';

/**
 * The entry of a SQLite connection thread (the writer, or a reader): the statements run
 * here, so the driver's main thread keeps answering pings and reads on the other threads
 * while one statement runs long. Calls arrive one at a time; each is answered in order.
 */

/** The wire form, with the stack of a bug (what was thrown when it was no RpcError) for the log. */
function threadError(error: RpcError, bug?: Error): ThreadError {
  return bug?.stack ? { ...error.toJSON(), stack: bug.stack } : error.toJSON();
}

/** The file operations of backups, done by the main thread on this thread's behalf. */
function relayedFiles(port: ThreadPort, pending: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>): BackupFiles {
  let next = 0;
  const relay = (operation: FileOperation) => (...args: unknown[]) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      port.postMessage({ type: 'file', id, operation, args } satisfies FromThread);
    });
  return { mkdir: relay('mkdir'), exists: relay('exists'), stat: relay('stat'), rename: relay('rename'), rm: relay('rm') } as BackupFiles;
}

export function serveConnection(port: ThreadPort): void {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const files = relayedFiles(port, pending);
  let runner: ConnectionRunner | undefined;
  // One call after the other, even while one awaits a file operation.
  let turn: Promise<void> = Promise.resolve();
  const post = (message: FromThread) => port.postMessage(message);
  port.onMessage((data) => {
    const message = data as ToThread;
    switch (message.type) {
      case 'open':
        turn = turn.then(async () => {
          try {
            runner = await ConnectionRunner.open(message.settings, files);
            post({ type: 'opened' });
          } catch (error) {
            post({ type: 'opened', error: threadError(RpcError.from(error)) });
          }
        });
        break;
      case 'call':
        turn = turn.then(async () => {
          const answer = await runner!.run(message);
          const failed = (error: RpcError, bug?: Error) => post({ type: 'answer', id: message.id, ok: false, error: threadError(error, bug), generation: answer.generation });
          if (!answer.ok) return failed(answer.error, answer.bug);
          try {
            post({ type: 'answer', id: message.id, ok: true, value: answer.value, generation: answer.generation });
          } catch (error) {
            // A value that cannot cross to the main thread is an error on its own call.
            failed(new RpcError('INTERNAL_ERROR', `${message.op}: the result could not be handed over: ${(error as Error).message}`));
          }
        });
        break;
      case 'file-result': {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) waiting?.resolve(message.value);
        else waiting?.reject(new Error(message.message));
        break;
      }
      case 'close':
        turn = turn.then(() => {
          runner?.close();
          post({ type: 'closed' });
        });
        break;
    }
  });
  post({ type: 'ready' });
}

// Started as a thread, it serves; imported anywhere else, it does nothing. (No top-level
// await: the bundled entry is CommonJS.)
void loadRuntime().then((runtime) => {
  const port = runtime.threadPort();
  if (port) serveConnection(port);
});
