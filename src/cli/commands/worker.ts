import { defineCommand } from 'citty';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { loadConfig } from '../../config/load.ts';
import { runPaths } from '../../config/run-paths.ts';
import { runWorker } from '../../workers/launcher.ts';
import { IntegerFlag, parseFlags } from '../args.ts';
import type { CliContext } from '../context.ts';
import { createLogger } from '../../runtime/logger.ts';

const WorkerFlags = v.object({
  kind: v.pipe(v.string(), v.minLength(1, 'a worker kind is required')),
  config: v.pipe(v.string(), v.minLength(1, 'the effective config file is required')),
  socket: v.pipe(v.string(), v.minLength(1, 'the driver socket is required')),
  pid_file: v.optional(v.string()),
  supervisor_pid: v.optional(IntegerFlag(1)),
  log_format: v.optional(v.picklist(['text', 'json'], 'must be text or json')),
  log_level: v.optional(v.picklist(['silent', 'error', 'warn', 'info', 'debug'])),
});

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'worker', description: 'Run one worker in the foreground on a running driver (what serve spawns)' },
    args: {
      kind: { type: 'positional', description: 'Worker kind (maintenance)', required: true },
      config: { type: 'string', description: 'Config file (serve passes its effective config)', required: true },
      socket: { type: 'string', description: 'The driver socket', required: true },
      'pid-file': { type: 'string', description: 'PID file (default <data_dir>/run/worker-KIND.pid)' },
      'supervisor-pid': { type: 'string', description: 'Stop when this process (the supervisor) is gone' },
      'log-format': { type: 'string', description: 'text|json (default text)' },
      'log-level': { type: 'string', description: 'silent|error|warn|info|debug (overrides log.level)' },
    },
    async run({ args }) {
      const { runtime } = context;
      const flags = parseFlags(WorkerFlags, {
        kind: args.kind,
        config: args.config,
        socket: args.socket,
        pid_file: args['pid-file'],
        supervisor_pid: args['supervisor-pid'],
        log_format: args['log-format'],
        log_level: args['log-level'],
      });
      const { config } = await loadConfig(runtime, { configPath: flags.config });
      const paths = runPaths(config);
      const name = `worker-${flags.kind}`;
      const logger = createLogger(runtime, { format: flags.log_format, level: flags.log_level ?? config.log.level, tag: name });
      await runWorker(runtime, logger, {
        kind: flags.kind,
        config,
        paths,
        socketPath: resolve(runtime.cwd(), flags.socket),
        pidFile: flags.pid_file === undefined ? paths.pidFile(name) : resolve(runtime.cwd(), flags.pid_file),
        supervisorPid: flags.supervisor_pid,
      });
    },
  });
