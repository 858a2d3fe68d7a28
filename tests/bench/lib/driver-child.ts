import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { connectDatabase } from '../../../src/db/connect.ts';
import type { DatabaseClient } from '../../../src/db/database-client.ts';
import { RpcClient } from '../../../src/ipc/rpc-client.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { BIN, REPO_ROOT } from '../../helpers/paths.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { trackChild } from './scratch.ts';

/** A real `code-analysis driver` child process, as every client process will reach it. */
export interface DriverChild {
  readonly databasePath: string;
  readonly socketPath: string;
  /** A DatabaseClient on one connection, so "sequential" means one call in flight on one socket. */
  client(): DatabaseClient;
  /** SIGTERM, then wait until it has drained and exited. */
  stop(): Promise<void>;
}

const MAX_OUTPUT = 64 * 1024;

/**
 * Start a driver on a new database under `dir` (e.g. with `--no-group-commit`), or on the
 * given database (a PostgreSQL URL), and wait until it answers ping.
 */
export async function startDriver(dir: string, flags: string[] = [], database?: string): Promise<DriverChild> {
  await mkdir(dir, { recursive: true });
  const databasePath = database ?? join(dir, 'bench.db');
  const socketPath = join(dir, 'driver.sock');
  const child = spawn(
    process.execPath,
    [...nodeFlags(), BIN, 'driver', '--database', databasePath, '--socket', socketPath, '--log-level', 'warn', ...flags],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  trackChild(child);
  // Kept for the error message if it dies; never echoed, stdout belongs to the report.
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-MAX_OUTPUT));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = once(child, 'exit');

  const probe = new RpcClient(nodeRuntime, { socketPath, poolSize: 1, timeoutMs: 1000 });
  try {
    await waitFor(
      async () => {
        if (hasExited(child)) throw new Error(`driver exited early (code ${child.exitCode}): ${output}`);
        return (await probe.call<{ pong: boolean }>('ping')).pong;
      },
      { timeoutMs: 30_000, message: `driver on ${socketPath} to answer ping` },
    );
  } catch (error) {
    throw hasExited(child) ? new Error(`driver exited early (code ${child.exitCode}): ${output}`) : error;
  } finally {
    probe.close();
  }

  const clients: DatabaseClient[] = [];
  return {
    databasePath,
    socketPath,
    client() {
      const client = connectDatabase(nodeRuntime, { socketPath, poolSize: 1 });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.close();
      if (!hasExited(child)) child.kill('SIGTERM');
      await exited;
      if (child.exitCode !== 0) throw new Error(`driver did not stop cleanly (code ${child.exitCode}, ${child.signalCode}): ${output}`);
    },
  };
}

/**
 * `BENCH_DRIVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` runs each driver child with
 * those Node flags, to see where its time goes (Node refuses --cpu-prof in NODE_OPTIONS).
 */
function nodeFlags(): string[] {
  return (process.env.BENCH_DRIVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
