import type { Context } from 'hono';
import { PrioritySchema } from '../ipc/messages.ts';
import type { RpcCaller } from '../ipc/rpc-client.ts';
import type { SupervisorStatus } from '../supervisor/types.ts';
import { type DriverStats, fetchDriverStats } from './driver-stats.ts';
import { formatMetrics, histogramSamples, type MetricFamily, PROMETHEUS_CONTENT_TYPE, type Sample } from './prometheus-text.ts';

export interface MetricsOptions {
  status: () => SupervisorStatus;
  driver: RpcCaller;
  version: string;
  statsTimeoutMs: number;
}

const PREFIX = 'code_analysis';

/** `GET /metrics`: services always; queue and per-method series when the driver answers stats. */
export function metricsHandler(options: MetricsOptions) {
  return async (c: Context): Promise<Response> => {
    const status = options.status();
    const stats = await fetchDriverStats(options.driver, options.statsTimeoutMs).catch(() => null);
    const body = formatMetrics([...serviceFamilies(status, options.version), ...vectorizerFamilies(status), ...(stats ? driverFamilies(stats) : [])]);
    return c.body(body, 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
  };
}

function serviceFamilies(status: SupervisorStatus, version: string): MetricFamily[] {
  const perService = (value: (service: SupervisorStatus['services'][number]) => number): Sample[] =>
    status.services.map((service) => ({ labels: { service: service.name }, value: value(service) }));
  return [
    {
      name: `${PREFIX}_build_info`,
      help: 'The running version; always 1.',
      type: 'gauge',
      samples: [{ labels: { version }, value: 1 }],
    },
    {
      name: `${PREFIX}_service_up`,
      help: 'Whether the supervised service is running (1) or not (0).',
      type: 'gauge',
      samples: perService((service) => (service.state === 'running' ? 1 : 0)),
    },
    {
      name: `${PREFIX}_service_restarts_total`,
      help: 'Times the supervisor restarted the service after it crashed or hung.',
      type: 'counter',
      samples: perService((service) => service.restarts),
    },
  ];
}

/** What the vectorizer worker reports (src/workers/vectorizer.ts), as far as /metrics reads it. */
interface VectorizerDetails {
  provider?: string;
  embedded_total?: number;
  provider_errors?: { total?: number; by_code?: Record<string, number> };
  projects?: Array<{ root?: string; pending?: number }>;
}

/** The vectorizer worker's counters, when one runs: provider errors by code, definitions embedded, definitions pending per project. */
function vectorizerFamilies(status: SupervisorStatus): MetricFamily[] {
  const details = status.services.find((service) => service.name === 'worker-vectorizer')?.details as VectorizerDetails | undefined;
  if (!details?.provider) return [];
  const provider = details.provider;
  return [
    {
      name: `${PREFIX}_embedding_provider_errors_total`,
      help: 'Failed calls to the embedding provider (each after its own retries), per error code, since the vectorizer started.',
      type: 'counter',
      samples: Object.entries(details.provider_errors?.by_code ?? {}).map(([code, value]) => ({ labels: { provider, code }, value })),
    },
    {
      name: `${PREFIX}_embedded_symbols_total`,
      help: 'Definitions embedded and stored since the vectorizer started.',
      type: 'counter',
      samples: [{ labels: { provider }, value: details.embedded_total ?? 0 }],
    },
    {
      name: `${PREFIX}_embedding_pending_symbols`,
      help: 'Definitions of a project still to embed with its current model.',
      type: 'gauge',
      samples: (details.projects ?? []).map((project) => ({ labels: { project: String(project.root) }, value: project.pending ?? 0 })),
    },
  ];
}

function driverFamilies(stats: DriverStats): MetricFamily[] {
  const methods = Object.entries(stats.methods ?? {});
  return [
    {
      name: `${PREFIX}_queue_depth`,
      help: 'Requests waiting in the driver queue, per priority.',
      type: 'gauge',
      samples: PrioritySchema.options.map((priority) => ({ labels: { priority }, value: stats.queue.depth[priority] })),
    },
    {
      name: `${PREFIX}_queue_rejected_total`,
      help: 'Requests refused because the driver queue was full.',
      type: 'counter',
      samples: [{ value: stats.queue.rejected }],
    },
    {
      name: `${PREFIX}_queue_expired_total`,
      help: 'Requests that reached their deadline before they could start.',
      type: 'counter',
      samples: [{ value: stats.queue.expired }],
    },
    {
      name: `${PREFIX}_requests_total`,
      help: 'Requests the driver finished, per method and outcome.',
      type: 'counter',
      samples: methods.flatMap(([method, entry]) => [
        { labels: { method, outcome: 'ok' }, value: entry.count - entry.failed },
        { labels: { method, outcome: 'failed' }, value: entry.failed },
      ]),
    },
    {
      name: `${PREFIX}_request_duration_ms`,
      help: 'Time the driver took to execute requests, in milliseconds, per method.',
      type: 'histogram',
      samples: methods.flatMap(([method, entry]) => {
        const buckets = entry.buckets.le.map((le, i) => [le, entry.buckets.counts[i]!] as const);
        return histogramSamples({ method }, buckets, entry.sum_ms, entry.count);
      }),
    },
  ];
}
