import { describe, expect, it } from 'vitest';
import { escapeLabelValue, formatMetrics, formatValue, histogramSamples } from '../../src/server/prometheus-text.ts';
import { parsePrometheusText, sampleValue } from './prometheus-checker.ts';

describe('Prometheus text format', () => {
  it('escapes backslash, double quote and line feed in label values, and backslash and line feed in HELP', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const text = formatMetrics([{ name: 'x_total', help: 'with \\ and\nnewline', type: 'counter', samples: [{ value: 1 }] }]);
    expect(text).toBe('# HELP x_total with \\\\ and\\nnewline\n# TYPE x_total counter\nx_total 1\n');
  });

  it('writes special values the way the format spells them', () => {
    expect([NaN, Infinity, -Infinity, 0.25, 12].map(formatValue)).toEqual(['NaN', '+Inf', '-Inf', '0.25', '12']);
  });

  it('writes a histogram as cumulative buckets ending in +Inf, then _sum and _count', () => {
    const samples = histogramSamples({ method: 'select' }, [[0.5, 1], [5, 3], [Infinity, 4]], 7.5, 4);
    const text = formatMetrics([{ name: 'd_ms', help: 'h', type: 'histogram', samples }]);
    const parsed = parsePrometheusText(text).samples;
    expect(parsed.map((s) => [s.name, s.labels.le ?? null, s.value])).toEqual([
      ['d_ms_bucket', '0.5', 1],
      ['d_ms_bucket', '5', 3],
      ['d_ms_bucket', '+Inf', 4],
      ['d_ms_sum', null, 7.5],
      ['d_ms_count', null, 4],
    ]);
    expect(sampleValue(parsed, 'd_ms_count', { method: 'select' })).toBe(4);
  });
});
