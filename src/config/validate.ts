import * as v from 'valibot';
import { ConfigError } from './errors.ts';
import { type ConfigLayer, type PlainObject, sourceOf } from './layer.ts';
import { type Config, ConfigSchema } from './schema.ts';

const SECRET_PATHS = new Set(['server.auth_token', 'server.read_token', 'embeddings.http.api_key']);
const MAX_SHOWN = 80;

/** The value as shown in an error: JSON, shortened, and never a secret. */
export function shown(path: string, value: unknown): string {
  if (SECRET_PATHS.has(path) && typeof value === 'string') return '"***"';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function reason(issue: v.BaseIssue<unknown>): string {
  if (issue.type === 'strict_object') {
    if (issue.expected === 'never') return 'unknown key';
    if (issue.kind === 'schema' && issue.expected === 'Object') return 'must be an object';
    return 'is required';
  }
  return issue.message;
}

function describe(issue: v.BaseIssue<unknown>, layers: readonly ConfigLayer[]): string {
  const keys = (issue.path ?? []).map((item) => item.key as string | number);
  const path = keys.join('.');
  const source = sourceOf(layers, keys);
  const unknownKey = issue.type === 'strict_object' && issue.expected === 'never';
  const got = unknownKey || issue.input === undefined ? '' : `got ${shown(path, issue.input)}, `;
  return `${path}: ${reason(issue)} (${got}from ${source})`;
}

/** Rules the schema cannot express on its own, reported in the same style. */
function crossFieldProblems(config: Config, layers: readonly ConfigLayer[]): string[] {
  const { type, url, mode } = config.database;
  const problems: string[] = [];
  if (type === 'postgres' && url === null) {
    problems.push(`database.url: must be set when database.type is postgres (from ${sourceOf(layers, ['database', 'type'])})`);
  }
  if (mode === 'in_process' && type !== 'postgres') {
    problems.push(`database.mode: in_process needs database.type postgres (got "${type}", from ${sourceOf(layers, ['database', 'mode'])})`);
  }
  const { auth_token, read_token } = config.server;
  if (read_token !== null && auth_token === null) {
    // Without a token for full access, every caller already has it: a read token would limit no one.
    problems.push(`server.read_token: needs server.auth_token to be set as well (from ${sourceOf(layers, ['server', 'read_token'])})`);
  }
  if (read_token !== null && read_token === auth_token) {
    problems.push(`server.read_token: must differ from server.auth_token (from ${sourceOf(layers, ['server', 'read_token'])})`);
  }
  const { provider, http, onnx } = config.embeddings;
  const needed = { http: { url: http.url, model: http.model }, onnx: { model_dir: onnx.model_dir }, builtin: {} }[provider];
  for (const [key, value] of Object.entries(needed)) {
    if (value === null) problems.push(`embeddings.${provider}.${key}: must be set when embeddings.provider is ${provider} (from ${sourceOf(layers, ['embeddings', 'provider'])})`);
  }
  return problems;
}

/**
 * Check the merged configuration against the schema and the cross-field rules; every
 * problem names its JSON path, the reason, the bad value and the layer that supplied it.
 */
export function validateConfig(merged: PlainObject, layers: readonly ConfigLayer[]): Config {
  const result = v.safeParse(ConfigSchema, merged);
  const problems = result.success ? crossFieldProblems(result.output, layers) : result.issues.map((issue) => describe(issue, layers));
  if (problems.length > 0 || !result.success) throw new ConfigError(`invalid config: ${problems.join('; ')}`);
  return result.output;
}
