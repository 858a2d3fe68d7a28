import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import defaults from '../../config/default.json' with { type: 'json' };
import type { EmbeddingsConfig } from '../../src/config/schema.ts';
import { fitBuiltinModel, fittingDocuments } from '../../src/embeddings/builtin/builtin-model.ts';
import { openEmbeddingProvider } from '../../src/embeddings/open-provider.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { TOPICAL_FILES } from '../helpers/embedding-corpus.ts';
import { EmbeddingServer } from '../helpers/embedding-server.ts';
import { tinyModelFiles } from '../helpers/onnx-model.ts';
import { rejectionOf } from '../helpers/rpc-error.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

const base = defaults.embeddings as EmbeddingsConfig;
const host = { fs: nodeRuntime.fs, builtinModel: null };

it('opens the builtin provider on the fitted model, and says when there is none yet', async () => {
  const model = await fitBuiltinModel(fittingDocuments(TOPICAL_FILES), { dimensions: 4 });
  const provider = await openEmbeddingProvider(base, { ...host, builtinModel: model });
  expect(provider.kind).toBe('builtin');
  expect(provider.modelId).toBe(model.id);
  const missing = await rejectionOf(openEmbeddingProvider(base, host));
  expect(missing.codeName).toBe('NOT_FOUND');
  expect(missing.message).toContain('no builtin embedding model has been fitted yet');
});

it('opens the http and onnx providers with their settings', async () => {
  const server = await EmbeddingServer.start(6);
  const http = await openEmbeddingProvider({ ...base, provider: 'http', http: { ...base.http, url: server.url, model: 'nomic' } }, host);
  expect([http.kind, http.modelId, http.dimension]).toEqual(['http', 'http:nomic:6', 6]);

  const dir = await makeTempDir('ca-onnx-');
  for (const [name, bytes] of Object.entries(tinyModelFiles({ dimension: 4 }))) await writeFile(join(dir, name), bytes);
  const onnx = await openEmbeddingProvider({ ...base, provider: 'onnx', onnx: { ...base.onnx, model_dir: dir } }, host);
  expect([onnx.kind, onnx.dimension]).toEqual(['onnx', 4]);
  expect(onnx.modelId).toMatch(/-256t$/);
  await onnx.close();
});
