import { runPaths } from '../config/run-paths.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../runtime/logger.ts';
import { PidFile } from '../runtime/pid-file.ts';
import type { Runtime } from '../runtime/types.ts';
import { readServeInfo } from '../supervisor/serve-info.ts';
import { type CodeTools, createCodeTools } from '../tools/context.ts';
import { indexerLinkFromStatus, type StatusLike } from '../tools/indexer-link.ts';
import { withDatabase } from './database-session.ts';

/** The running server's status (GET /status, with the configured token), or null when no server runs or it does not answer. */
function serverStatus(runtime: Runtime, config: Config): () => Promise<StatusLike | null> {
  const paths = runPaths(config);
  return async () => {
    const pid = await new PidFile(runtime, paths.servePid).liveHolder();
    const info = pid === null ? null : await readServeInfo(runtime, paths.serveInfo);
    if (!info || info.pid !== pid) return null;
    const headers: Record<string, string> = config.server.auth_token ? { authorization: `Bearer ${config.server.auth_token}` } : {};
    try {
      const response = await fetch(`${info.url}/status`, { headers, signal: AbortSignal.timeout(config.supervisor.ping_timeout_ms * 2) });
      return response.ok ? ((await response.json()) as StatusLike) : null;
    } catch {
      return null;
    }
  };
}

/**
 * Run `work` with the code tools, for a one-shot command (`mcp`, `refs`, `outline`, `show`):
 * on the running server's driver when one answers, else on a transient one (withDatabase);
 * a running server's indexer worker is the one `reindex` asks to rescan.
 */
export function withCodeTools<T>(runtime: Runtime, config: Config, logger: Logger, work: (tools: CodeTools) => Promise<T>): Promise<T> {
  return withDatabase(runtime, config, logger, async ({ code }) => {
    const tools = createCodeTools({
      code,
      fs: runtime.fs,
      excludeDirs: [config.data_dir],
      embeddings: config.embeddings,
      indexer: indexerLinkFromStatus(serverStatus(runtime, config), (pid) => runtime.kill(pid, 'SIGHUP')),
      logger,
    });
    try {
      return await work(tools);
    } finally {
      await tools.scans.stop();
    }
  });
}
