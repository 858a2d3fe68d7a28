import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

// The `embeddings` section: the provider and each one's settings (README "Semantic search").

async function loadWith(file: unknown, env: Record<string, string> = {}) {
  const dir = await makeTempDir();
  const path = join(dir, 'code-analysis.json');
  await writeFile(path, JSON.stringify(file));
  return { dir, path, load: () => loadConfig({ ...nodeRuntime, cwd: () => dir, env: (name: string) => env[name] }, { configPath: path }) };
}

async function problem(file: unknown, env: Record<string, string> = {}): Promise<string> {
  const error = await (await loadWith(file, env)).load().then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as Error).message;
}

it('defaults to the builtin provider, with every setting of the others present', async () => {
  const { config } = await (await loadWith({})).load();
  expect(config.embeddings.provider).toBe('builtin');
  expect(config.embeddings.builtin).toEqual({ dimensions: 192 });
  expect(config.embeddings.http).toMatchObject({ url: null, model: null, api_key: null, batch_size: 64, retries: 3, breaker_failures: 3 });
  expect(config.embeddings.onnx).toEqual({ model_dir: null, max_tokens: 256, batch_size: 16 });
});

it('requires what the chosen provider needs, naming the field', async () => {
  expect((await problem({ embeddings: { provider: 'http' } })).replace(/from \/\S+code-analysis\.json/g, 'from FILE')).toBe(
    'invalid config: embeddings.http.url: must be set when embeddings.provider is http (from FILE); ' +
      'embeddings.http.model: must be set when embeddings.provider is http (from FILE)',
  );
  expect(await problem({ embeddings: { provider: 'onnx' } })).toContain('embeddings.onnx.model_dir: must be set when embeddings.provider is onnx');
  expect(await problem({ embeddings: { provider: 'faiss' } })).toContain('embeddings.provider: must be builtin, http or onnx (got "faiss"');
  expect(await problem({ embeddings: { http: { url: 'ftp://x' } } })).toContain('embeddings.http.url: must start with http:// or https://');
  expect(await problem({ embeddings: { builtin: { dimensions: 4 } } })).toContain('embeddings.builtin.dimensions: must be at least 8');
  expect(await problem({ embeddings: { onnx: { max_tokens: 1 } } })).toContain('embeddings.onnx.max_tokens: must be at least 2');
});

it('takes the API key from the environment and never shows it', async () => {
  const env = { CODE_ANALYSIS_EMBEDDINGS_API_KEY: 'sk-from-the-environment' };
  const { config } = await (await loadWith({ embeddings: { provider: 'http', http: { url: 'http://127.0.0.1:8080', model: 'bge' } } }, env)).load();
  expect(config.embeddings.http.api_key).toBe('sk-from-the-environment');
  const message = await problem({ embeddings: { http: { api_key: '' } } });
  expect(message).toContain('embeddings.http.api_key: must not be empty (got "***"');
  const file = await loadWith({ embeddings: { http: { api_key: 'sk-secret-in-the-file' } } });
  const printed = await runCli(['config', 'print', '--config', file.path]);
  expect(printed.code).toBe(0);
  expect(JSON.parse(printed.stdout).embeddings.http.api_key).toBe('***');
  expect(printed.stdout).not.toContain('sk-secret-in-the-file');
});

it("resolves the onnx model directory against the config file's folder", async () => {
  const relative = await loadWith({ embeddings: { provider: 'onnx', onnx: { model_dir: 'models/minilm' } } });
  expect((await relative.load()).config.embeddings.onnx.model_dir).toBe(join(relative.dir, 'models/minilm'));
  const absolute = await loadWith({ embeddings: { onnx: { model_dir: '/srv/models/bge' } } });
  expect((await absolute.load()).config.embeddings.onnx.model_dir).toBe('/srv/models/bge');
});
