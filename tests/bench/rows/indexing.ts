import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '../../../src/runtime/logger.ts';
import { scanProject } from '../../../src/analysis/indexer.ts';
import { walkSources } from '../../../src/analysis/source-walker.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { createSourceParser } from '../../../src/analysis/tree-sitter-parser.ts';
import { DatabaseClient, type DatabaseTransport } from '../../../src/db/database-client.ts';
import { UniversalDriver } from '../../../src/db/universal-driver.ts';
import { RETRYABLE_METHODS } from '../../../src/driver/methods.ts';
import type { RpcCaller } from '../../../src/ipc/rpc-client.ts';
import { RpcClient } from '../../../src/ipc/rpc-client.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { REPO_ROOT } from '../../helpers/paths.ts';
import { startDriver } from '../lib/driver-child.ts';
import { progress } from '../lib/progress.ts';

/** The real tree the row indexes: hono's published build, present after install. */
export const INDEXED_TREE = join(REPO_ROOT, 'node_modules/hono/dist');

/** A caller that adds up the wall time its calls spend waiting for the driver. */
function timed(caller: RpcCaller, clock: { waitingNs: bigint; calls: number }): RpcCaller {
  return {
    async call(method, params, options) {
      const started = process.hrtime.bigint();
      try {
        return await caller.call(method, params, options);
      } finally {
        clock.waitingNs += process.hrtime.bigint() - started;
        clock.calls++;
      }
    },
  };
}

/**
 * Indexing throughput on a real tree: files per second through a real driver process,
 * against parsing the same files in process with no database (the baseline), and the
 * share of the indexing time spent waiting on the driver.
 */
export async function indexing(dir: string) {
  const parser = createSourceParser({ readBytes: nodeRuntime.fs.readBytes });
  const files: Array<{ absolute: string; language: NonNullable<ReturnType<typeof parser.languageOf>> }> = [];
  for await (const file of walkSources(nodeRuntime.fs, INDEXED_TREE, { languageOf: (name) => parser.languageOf(name), maxFileBytes: 2 * 1024 * 1024 })) {
    files.push({ absolute: file.absolute, language: file.language });
  }
  // Grammars loaded before anything is timed.
  for (const language of new Set(files.map((file) => file.language))) await parser.parse('', language);

  progress(`indexing: parse-only baseline, ${files.length} files`);
  const parseStarted = process.hrtime.bigint();
  let symbols = 0;
  for (const file of files) symbols += (await parser.parse(await readFile(file.absolute, 'utf8'), file.language)).symbols.length;
  const parseSeconds = Number(process.hrtime.bigint() - parseStarted) / 1e9;

  progress('indexing: through a driver process');
  const driver = await startDriver(join(dir, 'driver'));
  const rpc = new RpcClient(nodeRuntime, { socketPath: driver.socketPath, poolSize: 1, retryableMethods: RETRYABLE_METHODS });
  const clock = { waitingNs: 0n, calls: 0 };
  const transport: DatabaseTransport = {
    ...timed(rpc, clock),
    pin: async () => timed(await rpc.pin(), clock),
    close: () => rpc.close(),
  };
  try {
    const { config } = await loadConfig(nodeRuntime, { flags: { data_dir: dir } });
    const { code } = await new UniversalDriver(nodeRuntime, config).open(new DatabaseClient(transport, transport));
    const project = await code.ensureProject(INDEXED_TREE, 'hono-dist');
    clock.waitingNs = 0n;
    clock.calls = 0;
    const started = process.hrtime.bigint();
    const result = await scanProject({ fs: nodeRuntime.fs, code, parser, logger: createLogger(nodeRuntime, { level: 'silent' }) }, project);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.state !== 'done' || result.indexed !== files.length || result.symbols !== symbols) {
      throw new Error(`indexing bench: unexpected result ${JSON.stringify(result)} for ${files.length} files, ${symbols} symbols`);
    }
    const filesPerSecond = files.length / seconds;
    const parseOnlyPerSecond = files.length / parseSeconds;
    return {
      tree: 'node_modules/hono/dist',
      files: files.length,
      symbols,
      baseline_parse_only: { seconds: Number(parseSeconds.toFixed(3)), files_per_s: Math.round(parseOnlyPerSecond) },
      through_driver: { seconds: Number(seconds.toFixed(3)), files_per_s: Math.round(filesPerSecond), driver_calls: clock.calls },
      throughput_ratio: Number((filesPerSecond / parseOnlyPerSecond).toFixed(3)),
      driver_wait_share: Number((Number(clock.waitingNs) / 1e9 / seconds).toFixed(3)),
    };
  } finally {
    rpc.close();
    await driver.stop();
  }
}
