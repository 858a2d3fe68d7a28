/**
 * One concurrent client process of the bench: on `prepare` it connects its own RpcClient to
 * the driver and warms up, on `go` it inserts its rows (or reads its point selects) and
 * reports each call's latency.
 * Run by ClientPool through `node --import tsx`; exits when the bench goes away.
 */
import { connectDatabase } from '../../../src/db/connect.ts';
import type { DatabaseClient } from '../../../src/db/database-client.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { makeItem, pointKey } from './bench-table.ts';
import type { FromClient, InsertLoad, ToClient } from './client-messages.ts';

const WARMUP_PINGS = 50;

let prepared: { load: InsertLoad; client: DatabaseClient } | undefined;

function send(message: FromClient): void {
  process.send?.(message);
}

async function prepare(load: InsertLoad): Promise<void> {
  const client = connectDatabase(nodeRuntime, { socketPath: load.socketPath, poolSize: 1 });
  // Pings warm the connection and this process's code path without writing anything.
  for (let i = 0; i < WARMUP_PINGS; i++) await client.ping();
  prepared = { load, client };
  send({ type: 'ready' });
}

async function run(): Promise<void> {
  if (!prepared) throw new Error('go before prepare');
  const { load, client } = prepared;
  prepared = undefined;
  const latenciesUs: number[] = [];
  let next = 0;
  const caller = async () => {
    for (let i = next++; i < load.rows; i = next++) {
      const before = process.hrtime.bigint();
      if (load.kind === 'select') await client.select(load.table, { where: { id: pointKey(i + load.clientIndex * 997, load.keys ?? 1) } });
      else await client.insert(load.table, { ...makeItem(i), name: `client-${load.clientIndex}-${i}` });
      latenciesUs.push(Number(process.hrtime.bigint() - before) / 1000);
    }
  };
  await Promise.all(Array.from({ length: load.callers }, caller));
  client.close();
  send({ type: 'done', latenciesUs });
}

process.on('message', (message: ToClient) => {
  const work = message.type === 'prepare' ? prepare(message.load) : run();
  work.catch((error: unknown) => send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
});
process.on('disconnect', () => process.exit(0));
send({ type: 'online' });
