/// <reference lib="deno.ns" />
import { fitBuiltinModel, fittingDocuments, loadBuiltinModel } from '../../src/embeddings/builtin/builtin-model.ts';
import { builtinProvider } from '../../src/embeddings/builtin/builtin-provider.ts';
import { openHttpProvider } from '../../src/embeddings/http/http-provider.ts';
import { openOnnxProvider } from '../../src/embeddings/onnx/onnx-provider.ts';
import { denoRuntime } from '../../src/runtime/deno.ts';
import { TOPICAL_FILES } from '../helpers/embedding-corpus.ts';
import { expectedVector, tinyModelFiles } from '../helpers/onnx-model.ts';

function assertEquals(actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

const rounded = (vector: ArrayLike<number>) => Array.from(vector, (value) => Number(value.toFixed(5)));

Deno.test('the builtin model fits, embeds and comes back from its bytes under Deno', async () => {
  const model = await fitBuiltinModel(fittingDocuments(TOPICAL_FILES), { dimensions: 4 });
  const [vector] = await builtinProvider(model).embed(['cache memo']);
  assertEquals(vector!.length, 4);
  assertEquals(Number(vector!.reduce((sum, value) => sum + value * value, 0).toFixed(5)), 1);
  assertEquals(model.id.startsWith('builtin-lsi-4d-'), true);
  const loaded = await loadBuiltinModel(model.bytes);
  assertEquals(loaded.id, model.id);
  assertEquals(Array.from((await builtinProvider(loaded).embed(['cache memo']))[0]!), Array.from(vector!));
});

Deno.test('the onnx provider runs a model directory in process under Deno (WASM runtime, pure-JS tokenizer)', async () => {
  const dir = await denoRuntime.fs.makeTempDir('ca-deno-onnx-');
  try {
    for (const [name, bytes] of Object.entries(tinyModelFiles({ dimension: 4 }))) await denoRuntime.fs.writeFileAtomic(`${dir}/${name}`, bytes);
    const provider = await openOnnxProvider({ model_dir: dir, max_tokens: 64, batch_size: 4 }, { fs: denoRuntime.fs });
    const [cache, open] = await provider.embed(['cache', 'open']);
    assertEquals(rounded(cache!), rounded(expectedVector([2, 4, 3], 4)));
    assertEquals(rounded(open!), rounded(expectedVector([2, 8, 3], 4)));
    await provider.close();
  } finally {
    await denoRuntime.fs.rm(dir, { recursive: true });
  }
});

Deno.test('the http provider reaches an OpenAI-compatible endpoint under Deno', async () => {
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, async (request) => {
    const { input } = (await request.json()) as { input: string[] };
    return Response.json({ data: input.map((text, index) => ({ index, embedding: [text.length, 1] })) });
  });
  try {
    const provider = await openHttpProvider({
      url: `http://127.0.0.1:${server.addr.port}`,
      model: 'm',
      api_key: null,
      batch_size: 8,
      timeout_ms: 5000,
      retries: 0,
      retry_delay_ms: 1,
      breaker_failures: 3,
      breaker_open_ms: 1000,
    });
    const [vector] = await provider.embed(['abc']);
    assertEquals(rounded(vector!), rounded([3 / Math.hypot(3, 1), 1 / Math.hypot(3, 1)]));
    assertEquals(provider.modelId, 'http:m:2');
  } finally {
    await server.shutdown();
  }
});
