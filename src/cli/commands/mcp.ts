import { defineCommand } from 'citty';
import * as v from 'valibot';
import { createMcpServer } from '../../mcp/mcp-server.ts';
import { StdioTransport } from '../../mcp/stdio-transport.ts';
import { createLogger } from '../../runtime/logger.ts';
import { waitForShutdownSignal } from '../../runtime/shutdown-signal.ts';
import { VERSION } from '../../version.ts';
import { parseFlags } from '../args.ts';
import { withCodeTools } from '../code-tools-session.ts';
import { CONFIG_ARGS, loadConfigFromArgs } from '../config-args.ts';
import type { CliContext } from '../context.ts';

const McpFlags = v.object({
  log_level: v.optional(v.picklist(['silent', 'error', 'warn', 'info', 'debug'], 'must be silent, error, warn, info or debug'), 'warn'),
});

export default (context: CliContext) =>
  defineCommand({
    meta: {
      name: 'mcp',
      description: 'Serve the code tools to an AI assistant over MCP on stdin/stdout (through the running server\'s driver, or a transient one)',
    },
    args: {
      ...CONFIG_ARGS,
      'log-level': { type: 'string', description: 'silent|error|warn|info|debug, on stderr (default warn)' },
    },
    async run({ args }) {
      const { runtime } = context;
      const flags = parseFlags(McpFlags, { log_level: args['log-level'] });
      const { config } = await loadConfigFromArgs(runtime, args);
      // stdout carries the protocol and nothing else: every log line goes to stderr.
      const logger = createLogger(runtime, { level: flags.log_level, tag: 'mcp' });
      await withCodeTools(runtime, config, logger, async (tools) => {
        const server = createMcpServer({
          version: VERSION,
          tools: () => tools,
          onUnexpectedError: (error) => logger.error('tool failed unexpectedly:', error instanceof Error ? (error.stack ?? error.message) : error),
        });
        const closed = new Promise<void>((resolve) => (server.onclose = resolve));
        await server.connect(new StdioTransport(runtime));
        logger.info(`serving MCP on stdio (data dir ${config.data_dir})`);
        // Until the client closes stdin (or signals us): then the transient driver, if any, stops.
        await Promise.race([closed, waitForShutdownSignal(runtime)]);
        await server.close();
      });
    },
  });
