import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../helpers/paths.ts';
import type { FromClient, InsertLoad, ToClient } from './client-messages.ts';
import { trackChild } from './scratch.ts';
import { type Summary, summarize } from './summary.ts';

const CLIENT_SCRIPT = fileURLToPath(new URL('./insert-client.ts', import.meta.url));

export interface PoolLoad {
  /** What each client does (inserts by default). */
  kind?: 'insert' | 'select';
  socketPath: string;
  table: string;
  rowsPerClient: number;
  callersPerClient: number;
  /** Point selects read keys 1..keys. */
  keys?: number;
}

/** Total throughput over all clients (wall time from `go` to the last `done`), latency per call. */
export interface PoolResult extends Summary {
  clients: number;
  callers_per_client: number;
  elapsed_s: number;
}

/**
 * Client processes that insert (or read) through their own RpcClient at the same time. Started once
 * and reused, so process start-up (tsx compiling the client) is never inside a measurement.
 */
export class ClientPool {
  private constructor(private readonly children: ChildProcess[]) {}

  static async start(size: number): Promise<ClientPool> {
    const children = Array.from({ length: size }, () => {
      const child = fork(CLIENT_SCRIPT, [], {
        cwd: REPO_ROOT,
        execArgv: ['--import', 'tsx'],
        // The client's stdout must not reach ours: that is where the report goes.
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      trackChild(child);
      return child;
    });
    const pool = new ClientPool(children);
    await Promise.all(children.map((child) => receive(child, 'online')));
    return pool;
  }

  get size(): number {
    return this.children.length;
  }

  async run(load: PoolLoad): Promise<PoolResult> {
    const ready = this.children.map((child) => receive(child, 'ready'));
    this.children.forEach((child, clientIndex) => {
      const message: InsertLoad = {
        kind: load.kind ?? 'insert',
        socketPath: load.socketPath,
        table: load.table,
        rows: load.rowsPerClient,
        keys: load.keys,
        callers: load.callersPerClient,
        clientIndex,
      };
      send(child, { type: 'prepare', load: message });
    });
    await Promise.all(ready);

    const done = this.children.map((child) => receive(child, 'done'));
    const start = process.hrtime.bigint();
    for (const child of this.children) send(child, { type: 'go' });
    const results = await Promise.all(done);
    const elapsed = process.hrtime.bigint() - start;
    return {
      clients: this.children.length,
      callers_per_client: load.callersPerClient,
      elapsed_s: Number((Number(elapsed) / 1e9).toFixed(3)),
      ...summarize(
        results.flatMap((result) => result.latenciesUs),
        elapsed,
      ),
    };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.disconnect();
        await exited;
      }),
    );
  }
}

function send(child: ChildProcess, message: ToClient): void {
  child.send(message);
}

/** The child's next message of `type`; rejects when it reports a failure or exits first. */
function receive<T extends FromClient['type']>(child: ChildProcess, type: T): Promise<Extract<FromClient, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromClient) => {
      if (message.type === type) {
        stop();
        resolve(message as Extract<FromClient, { type: T }>);
      } else if (message.type === 'failed') {
        stop();
        reject(new Error(`client process ${child.pid} failed: ${message.message}`));
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      stop();
      reject(new Error(`client process ${child.pid} exited (${code ?? signal}) while waiting for "${type}"`));
    };
    const stop = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
