import { defineCommand } from 'citty';
import { runPaths } from '../../config/run-paths.ts';
import type { QueueStatsSnapshot } from '../../queue/queue-stats.ts';
import { PidFile } from '../../runtime/pid-file.ts';
import { readServeInfo } from '../../supervisor/serve-info.ts';
import { probeSocket } from '../../supervisor/socket-probe.ts';
import type { SupervisorStatus } from '../../supervisor/types.ts';
import { CONFIG_ARGS, loadConfigFromArgs } from '../config-args.ts';
import type { CliContext } from '../context.ts';

/** LSB convention for "program is not running". */
const NOT_RUNNING = 3;

type StatusReport = SupervisorStatus & { queue: QueueStatsSnapshot | null };

function duration(ms: number | null): string {
  if (ms === null) return '-';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

function render(report: StatusReport, url: string): string {
  const rows = [['SERVICE', 'STATE', 'PID', 'UPTIME', 'RESTARTS', 'HEALTH', 'LAST ERROR']];
  for (const service of report.services) {
    rows.push([
      service.name,
      service.state,
      String(service.pid ?? '-'),
      duration(service.uptime_ms),
      String(service.restarts),
      service.health,
      service.last_error ?? '',
    ]);
  }
  const queue = report.queue;
  const queueLine = queue
    ? `queue: ${queue.depth.total} waiting (critical ${queue.depth.critical}, high ${queue.depth.high}, normal ${queue.depth.normal}, low ${queue.depth.low}); ${queue.done} done, ${queue.failed} failed, ${queue.rejected} rejected, ${queue.expired} expired`
    : 'queue: the driver does not answer';
  return `code-analysis ${report.version}, pid ${report.pid}, ${report.state}, up ${duration(report.uptime_ms)}, ${url}\n${table(rows)}\n${queueLine}\n`;
}

export default (context: CliContext) =>
  defineCommand({
    meta: { name: 'status', description: 'Services, pids, uptime, restarts, health and queue depth of the running server' },
    args: { ...CONFIG_ARGS, json: { type: 'boolean', description: 'Print JSON' } },
    async run({ args }) {
      const { runtime } = context;
      const { config } = await loadConfigFromArgs(runtime, args);
      const paths = runPaths(config);
      const pid = await new PidFile(runtime, paths.servePid).liveHolder();
      const info = pid === null ? null : await readServeInfo(runtime, paths.serveInfo);
      if (pid === null || info === null || info.pid !== pid) {
        const why = pid === null ? 'not running' : `pid ${pid} is starting or not answering`;
        if (args.json) runtime.writeStdout(`${JSON.stringify({ running: false, pid, data_dir: paths.dataDir })}\n`);
        else runtime.writeStdout(`code-analysis is ${why} (data dir ${paths.dataDir})\n`);
        context.exitCode = pid === null ? NOT_RUNNING : 1;
        return;
      }
      const headers: Record<string, string> = config.server.auth_token ? { authorization: `Bearer ${config.server.auth_token}` } : {};
      let report: StatusReport;
      try {
        const response = await fetch(`${info.url}/status`, { headers, signal: AbortSignal.timeout(config.supervisor.ping_timeout_ms * 2) });
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
        report = (await response.json()) as StatusReport;
      } catch (error) {
        runtime.writeStderr(`code-analysis: pid ${pid} runs but ${info.url}/status does not answer: ${(error as Error).message}\n`);
        context.exitCode = 1;
        return;
      }
      // What a monitoring script must not miss: a service the supervisor gave up on, a driver no new client can reach.
      const problems = report.services.filter((service) => service.state === 'failed').map((service) => `${service.name} failed: ${service.last_error ?? 'no reason given'}`);
      const unreachable = config.database.mode === 'process' ? await probeSocket(runtime, paths.socket, config.supervisor.ping_timeout_ms) : null;
      if (unreachable !== null) problems.push(`the driver socket does not answer: ${unreachable}`);
      runtime.writeStdout(
        args.json ? `${JSON.stringify({ running: true, url: info.url, ...report, problems }, null, 2)}\n` : render(report, info.url),
      );
      for (const problem of problems) runtime.writeStderr(`code-analysis: ${problem}\n`);
      if (problems.length > 0) context.exitCode = 1;
    },
  });
