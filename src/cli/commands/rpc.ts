import { defineCommand } from 'citty';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { RpcError } from '../../ipc/errors.ts';
import { PrioritySchema } from '../../ipc/messages.ts';
import { RpcClient } from '../../ipc/rpc-client.ts';
import { IntegerFlag, parseFlags } from '../args.ts';
import { runPaths } from '../../config/run-paths.ts';
import { probeSocket } from '../../supervisor/socket-probe.ts';
import { CONFIG_ARGS, loadConfigFromArgs } from '../config-args.ts';
import { type CliContext, UsageError } from '../context.ts';

const RpcFlags = v.object({
  method: v.pipe(v.string(), v.minLength(1, 'a method is required')),
  socket: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  timeout_ms: v.optional(IntegerFlag(1), '30000'),
  priority: v.optional(PrioritySchema),
});

function parseParams(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let params: unknown;
  try {
    params = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`JSON: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new UsageError('JSON: params must be a JSON object');
  return params as Record<string, unknown>;
}

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'rpc', description: 'Call one method of a running driver and print the result as JSON' },
    args: {
      method: { type: 'positional', description: 'Driver method (ping, select, insert, …)', required: true },
      json: { type: 'positional', description: 'Params as a JSON object', required: false },
      socket: { type: 'string', description: 'The driver socket (default: the one of the config\'s data dir)' },
      ...CONFIG_ARGS,
      'timeout-ms': { type: 'string', description: 'Call timeout (default 30000)' },
      priority: { type: 'string', description: 'critical|high|normal|low' },
    },
    async run({ args }) {
      const flags = parseFlags(RpcFlags, {
        method: args.method,
        socket: args.socket,
        timeout_ms: args['timeout-ms'],
        priority: args.priority,
      });
      const params = parseParams(args.json);
      const { runtime } = context;
      const socketPath =
        flags.socket === undefined
          ? runPaths((await loadConfigFromArgs(runtime, args)).config).socket
          : resolve(runtime.cwd(), flags.socket);
      const fail = (error: unknown) => {
        const rpcError = RpcError.from(error);
        runtime.writeStderr(`${JSON.stringify({ error: { ...rpcError.toJSON(), name: rpcError.codeName } }, null, 2)}\n`);
        context.exitCode = 1;
      };
      // Without this, a missing socket would be retried until the call's timeout, in silence.
      const unreachable = await probeSocket(runtime, socketPath, flags.timeout_ms);
      if (unreachable !== null) {
        fail(new RpcError('CONNECTION_ERROR', `cannot reach a driver: ${unreachable} (is the server running? "code-analysis serve" starts it)`));
        return;
      }
      const client = new RpcClient(runtime, { socketPath, poolSize: 1, timeoutMs: flags.timeout_ms });
      try {
        const result = await client.call(flags.method, params, { priority: flags.priority });
        runtime.writeStdout(`${JSON.stringify(result, null, 2)}\n`);
      } catch (error) {
        fail(error);
      } finally {
        client.close();
      }
    },
  });
