import { expect } from 'vitest';

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
const VALUE = '([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]Inf|NaN)';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?\\})? ${VALUE}(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/**
 * A strict reader of the Prometheus text format 0.0.4, line by line: every line is HELP,
 * TYPE or a sample; a family's HELP and TYPE come once, before its samples; histogram
 * samples are `_bucket` (with `le`), `_sum` or `_count`; the text ends with a line feed.
 */
export function parsePrometheusText(text: string): { samples: ParsedSample[]; types: Map<string, string> } {
  expect(text.endsWith('\n'), 'exposition ends with a line feed').toBe(true);
  const types = new Map<string, string>();
  const helped = new Set<string>();
  const samples: ParsedSample[] = [];
  const lines = text.slice(0, -1).split('\n');
  for (const [index, line] of lines.entries()) {
    const where = `line ${index + 1}: ${JSON.stringify(line)}`;
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    if (help) {
      expect(helped.has(help[1]!), `${where}: second HELP`).toBe(false);
      helped.add(help[1]!);
    } else if (type) {
      expect(types.has(type[1]!), `${where}: second TYPE`).toBe(false);
      types.set(type[1]!, type[2]!);
    } else {
      const match = SAMPLE.exec(line);
      expect(match, `${where}: not a sample line`).not.toBeNull();
      const name = match![1]!;
      const labels = parseLabels(match![2] ?? '');
      const family = familyOf(name, types);
      expect(family, `${where}: sample before its TYPE`).toBeDefined();
      if (types.get(family!) === 'histogram' && name.endsWith('_bucket')) expect(labels.le, `${where}: bucket without le`).toBeDefined();
      samples.push({ name, labels, value: parseValue(match![match!.length - 1]!) });
    }
  }
  return { samples, types };
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  return base !== undefined && types.get(base) === 'histogram' ? base : undefined;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(new RegExp(LABEL, 'g'))) {
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** The value of the one sample with this name and these labels (among others). */
export function sampleValue(samples: ParsedSample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  expect(found.length, `samples of ${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
  return found[0]?.value;
}
