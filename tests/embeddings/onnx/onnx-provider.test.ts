import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openOnnxProvider, type OnnxProviderSettings } from '../../../src/embeddings/onnx/onnx-provider.ts';
import { nodeRuntime } from '../../../src/runtime/node.ts';
import { expectedVector, tinyModelFiles } from '../../helpers/onnx-model.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

const host = { fs: nodeRuntime.fs };

async function modelDir(files: Record<string, Uint8Array | string>): Promise<string> {
  const dir = await makeTempDir('ca-onnx-');
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

const settings = (model_dir: string, overrides: Partial<OnnxProviderSettings> = {}): OnnxProviderSettings => ({ model_dir, max_tokens: 64, batch_size: 8, ...overrides });
const rounded = (vectors: Float32Array[]) => vectors.map((vector) => Array.from(vector, (value) => Number(value.toFixed(5))));
const roundedExpected = (ids: number[]) => expectedVector(ids, 4).map((value) => Number(value.toFixed(5)));

// Token ids in the tiny vocabulary: [CLS] 2, [SEP] 3, [UNK] 1, how 13, many 14, connection 6, ##s 15, open 8, cache 4.
const QUESTION = 'How many connections are OPEN?';
const QUESTION_IDS = [2, 13, 14, 6, 15, 1, 8, 1, 3];

it('tokenizes, runs the model, mean-pools over the attention mask and normalises', async () => {
  const provider = await openOnnxProvider(settings(await modelDir(tinyModelFiles({ dimension: 4 }))), host);
  expect(provider.kind).toBe('onnx');
  expect(provider.dimension).toBe(4);
  expect(provider.modelId).toMatch(/^onnx-[0-9a-f]{16}-4d-64t$/);
  const vectors = await provider.embed([QUESTION, 'cache', 'open']);
  expect(rounded(vectors)).toEqual([roundedExpected(QUESTION_IDS), roundedExpected([2, 4, 3]), roundedExpected([2, 8, 3])]);
  await provider.close();
});

it('pads a batch without letting the padding count, and runs concurrent calls one after the other', async () => {
  const dir = await modelDir(tinyModelFiles({ dimension: 4 }));
  const batched = await openOnnxProvider(settings(dir, { batch_size: 3 }), host);
  const single = await openOnnxProvider(settings(dir, { batch_size: 1 }), host);
  const texts = ['open', QUESTION, 'cache pool', 'the file'];
  const [together, alone] = await Promise.all([batched.embed(texts), single.embed(texts)]);
  expect(rounded(together)).toEqual(rounded(alone));
  expect(await batched.embed([])).toEqual([]);
});

it("takes a model's own pooled sentence_embedding as it is", async () => {
  const pooled = await openOnnxProvider(settings(await modelDir(tinyModelFiles({ dimension: 4, pooled: true })), { batch_size: 1 }), host);
  expect(rounded(await pooled.embed([QUESTION]))).toEqual([roundedExpected(QUESTION_IDS)]);
});

it('cuts long texts at max_tokens, keeping the closing token, and says so in the model id', async () => {
  const dir = await modelDir(tinyModelFiles({ dimension: 4 }));
  const short = await openOnnxProvider(settings(dir, { max_tokens: 4 }), host);
  expect(rounded(await short.embed([QUESTION]))).toEqual([roundedExpected([2, 13, 14, 3])]);
  const long = await openOnnxProvider(settings(dir), host);
  expect(short.modelId.replace('-4t', '')).toBe(long.modelId.replace('-64t', ''));
  const other = await openOnnxProvider(settings(await modelDir(tinyModelFiles({ dimension: 6 }))), host);
  expect(other.dimension).toBe(6);
  expect(other.modelId.slice(0, 21)).not.toBe(long.modelId.slice(0, 21));
});

it('refuses a directory without its files, or with files it cannot use, naming them', async () => {
  const files = tinyModelFiles({ dimension: 4 });
  const missing = await rejectionOf(openOnnxProvider(settings(await modelDir({ 'tokenizer.json': files['tokenizer.json']! })), host));
  expect(missing.codeName).toBe('VALIDATION_ERROR');
  expect(missing.message).toMatch(/model\.onnx does not exist: the onnx provider needs model\.onnx and tokenizer\.json/);
  expect(missing.data?.field).toBe('embeddings.onnx.model_dir');

  const notJson = await rejectionOf(openOnnxProvider(settings(await modelDir({ ...files, 'tokenizer.json': '{ not json' })), host));
  expect(notJson.message).toMatch(/tokenizer\.json is not JSON/);

  const notATokenizer = await rejectionOf(openOnnxProvider(settings(await modelDir({ ...files, 'tokenizer.json': '{"model": 42}' })), host));
  expect(notATokenizer.message).toContain('tokenizer.json cannot be used');

  const otherInputs = await rejectionOf(openOnnxProvider(settings(await modelDir(tinyModelFiles({ dimension: 4, extraInput: 'pixel_values' }))), host));
  expect(otherInputs.message).toContain('model.onnx takes inputs input_ids, attention_mask, token_type_ids, pixel_values');

  const notAModel = await rejectionOf(openOnnxProvider(settings(await modelDir({ ...files, 'model.onnx': 'not a model' })), host));
  expect(notAModel.codeName).toBe('VALIDATION_ERROR');
  expect(notAModel.message).toContain('model.onnx cannot be loaded');
});
