import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import type { ThreadPort } from '../../../src/runtime/types.ts';
import { serveConnection } from '../../../src/driver/sqlite/sqlite-thread.ts';
import type { FromThread, ToThread } from '../../../src/driver/sqlite/thread-messages.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/** The thread's side of a channel, on this thread: what it posts is collected, messages are sent to it. */
function fakePort() {
  const posted: FromThread[] = [];
  let listener: ((message: unknown) => void) | undefined;
  const port: ThreadPort = {
    postMessage: (message) => posted.push(message as FromThread),
    onMessage: (next) => (listener = next),
  };
  return { port, posted, send: (message: ToThread) => listener!(message) };
}

describe('a SQLite connection thread (its message loop, run here)', () => {
  it('opens its connection, answers calls in order, relays the file operations of a backup, and closes', async () => {
    const dir = await makeTempDir();
    const writer = fakePort();
    serveConnection(writer.port);
    // It says it listens first (the driver holds back what it posts until then).
    expect(writer.posted.shift()).toEqual({ type: 'ready' });
    const settings = { path: join(dir, 'db.sqlite'), library: 'better-sqlite3' as const, deadlines: nodeRuntime.nativeLibrary('sqlite-deadline'), backupDir: join(dir, 'backups') };
    writer.send({ type: 'open', settings: { role: 'writer', ...settings } });
    writer.send({ type: 'call', id: 1, op: 'execute', args: { sql: 'CREATE TABLE t (x INTEGER)' }, deadline: 0 });
    writer.send({ type: 'call', id: 2, op: 'execute', args: { sql: 'INSERT INTO t VALUES (1)' }, deadline: 0 });
    writer.send({ type: 'call', id: 3, op: 'no_such_op', deadline: 0 });
    await waitFor(() => writer.posted.length === 4, { message: 'the writer to answer' });
    expect(writer.posted[0]).toEqual({ type: 'opened' });
    expect(writer.posted.slice(1, 3)).toEqual([
      { type: 'answer', id: 1, ok: true, value: { affected_rows: 0, last_row_id: 0 }, generation: 1 },
      { type: 'answer', id: 2, ok: true, value: { affected_rows: 1, last_row_id: 1 }, generation: 1 },
    ]);
    expect(writer.posted[3]).toMatchObject({ type: 'answer', id: 3, ok: false, error: { code: ErrorCode.INTERNAL_ERROR } });

    const reader = fakePort();
    serveConnection(reader.port);
    expect(reader.posted.shift()).toEqual({ type: 'ready' });
    reader.send({ type: 'open', settings: { role: 'reader', ...settings } });
    reader.send({ type: 'call', id: 1, op: 'backup', args: { file_name: 'copy.db' }, deadline: 0, generation: 1 });
    // The thread asks for its file operations; here the test does them with the runtime's.
    const relayed = new Set<number>();
    await waitFor(
      async () => {
        for (const message of reader.posted) {
          if (message.type !== 'file' || relayed.has(message.id)) continue;
          relayed.add(message.id);
          const value = await (nodeRuntime.fs[message.operation] as (...args: unknown[]) => Promise<unknown>)(...message.args);
          reader.send({ type: 'file-result', id: message.id, ok: true, value });
        }
        return reader.posted.some((message) => message.type === 'answer');
      },
      { message: 'the backup to be answered' },
    );
    expect(reader.posted.find((message) => message.type === 'answer')).toMatchObject({ ok: true, value: { path: join(dir, 'backups', 'copy.db') } });
    expect(existsSync(join(dir, 'backups', 'copy.db'))).toBe(true);

    for (const thread of [reader, writer]) {
      thread.send({ type: 'close' });
      await waitFor(() => thread.posted.some((message) => message.type === 'closed'), { message: 'the thread to close' });
    }
  });

  it('reports a connection it cannot open, and a relayed file operation that failed', async () => {
    const thread = fakePort();
    serveConnection(thread.port);
    expect(thread.posted.shift()).toEqual({ type: 'ready' });
    thread.send({ type: 'open', settings: { role: 'writer', path: '/proc/nowhere/x.db', library: 'better-sqlite3' } });
    await waitFor(() => thread.posted.length === 1, { message: 'the open to fail' });
    expect(thread.posted[0]).toMatchObject({ type: 'opened', error: { code: ErrorCode.DATABASE_ERROR } });
    thread.send({ type: 'file-result', id: 99, ok: false, message: 'unknown request: ignored' });
  });
});
