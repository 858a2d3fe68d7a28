import { describe, expect, it } from 'vitest';
import { startInProcessDriver } from '../helpers/driver.ts';
import { parsePrometheusText, sampleValue } from './prometheus-checker.ts';
import { startTestServer } from './server-fixture.ts';

async function scrape(server: { get(path: string): Promise<Response> }) {
  const response = await server.get('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

describe('GET /metrics', () => {
  it('exposes queue depth, queue outcomes and service series in the Prometheus text format', async () => {
    const driver = await startInProcessDriver();
    const server = await startTestServer(driver.rpc());
    server.set('maintenance', 'backoff', { restarts: 3 });
    server.services.push({ ...server.services[1]!, name: 'odd "name" \\ with\nline', restarts: 1 });

    const { samples, types } = await scrape(server);
    expect(Object.fromEntries(types)).toMatchObject({
      code_analysis_build_info: 'gauge',
      code_analysis_queue_depth: 'gauge',
      code_analysis_requests_total: 'counter',
      code_analysis_request_duration_ms: 'histogram',
      code_analysis_service_restarts_total: 'counter',
      code_analysis_service_up: 'gauge',
      code_analysis_queue_rejected_total: 'counter',
      code_analysis_queue_expired_total: 'counter',
    });
    for (const priority of ['critical', 'high', 'normal', 'low']) {
      expect(sampleValue(samples, 'code_analysis_queue_depth', { priority })).toBe(0);
    }
    expect(sampleValue(samples, 'code_analysis_queue_rejected_total')).toBe(0);
    expect(sampleValue(samples, 'code_analysis_queue_expired_total')).toBe(0);
    expect(sampleValue(samples, 'code_analysis_build_info', { version: '9.9.9-test' })).toBe(1);
    expect(sampleValue(samples, 'code_analysis_service_up', { service: 'driver' })).toBe(1);
    expect(sampleValue(samples, 'code_analysis_service_up', { service: 'maintenance' })).toBe(0);
    expect(sampleValue(samples, 'code_analysis_service_restarts_total', { service: 'maintenance' })).toBe(3);
    // The escaped label value reads back as the original name.
    expect(sampleValue(samples, 'code_analysis_service_restarts_total', { service: 'odd "name" \\ with\nline' })).toBe(1);
  });

  it('keeps the service series when the driver does not answer, and drops the queue series', async () => {
    const driver = await startInProcessDriver();
    const server = await startTestServer(driver.rpc({ timeoutMs: 5_000 }), { pingTimeoutMs: 300 });
    await driver.stop();
    server.set('driver', 'backoff', { restarts: 1 });

    const { samples, types } = await scrape(server);
    expect(types.has('code_analysis_queue_depth')).toBe(false);
    expect(sampleValue(samples, 'code_analysis_service_up', { service: 'driver' })).toBe(0);
    expect(sampleValue(samples, 'code_analysis_service_restarts_total', { service: 'driver' })).toBe(1);
  });

  it('counts selects per method, with a duration histogram per method', async () => {
    const driver = await startInProcessDriver();
    const server = await startTestServer(driver.rpc());
    await server.rpc('create_table', { schema: { name: 't', columns: [{ name: 'v', type: 'text' }] } });
    const before = sampleValue((await scrape(server)).samples, 'code_analysis_requests_total', { method: 'select', outcome: 'ok' }) ?? 0;
    for (let i = 0; i < 3; i++) expect(await server.rpc('select', { table_name: 't' })).toHaveProperty('result');
    await server.rpc('select', { table_name: 'missing' });

    const { samples } = await scrape(server);
    expect(sampleValue(samples, 'code_analysis_requests_total', { method: 'select', outcome: 'ok' })).toBe(before + 3);
    expect(sampleValue(samples, 'code_analysis_requests_total', { method: 'select', outcome: 'failed' })).toBeGreaterThanOrEqual(1);
    const count = sampleValue(samples, 'code_analysis_request_duration_ms_count', { method: 'select' })!;
    expect(count).toBeGreaterThanOrEqual(before + 4);
    expect(sampleValue(samples, 'code_analysis_request_duration_ms_bucket', { method: 'select', le: '+Inf' })).toBe(count);
    const buckets = samples.filter((s) => s.name === 'code_analysis_request_duration_ms_bucket' && s.labels.method === 'select');
    const values = buckets.map((s) => s.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(sampleValue(samples, 'code_analysis_request_duration_ms_sum', { method: 'select' })).toBeGreaterThanOrEqual(0);
  });
});
