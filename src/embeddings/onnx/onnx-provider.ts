import { RpcError } from '../../ipc/errors.ts';
import type { FileSystem } from '../../runtime/types.ts';
import type { EmbeddingProvider } from '../types.ts';
import { fingerprint } from '../fingerprint.ts';
import { normalize } from '../vector-math.ts';
import { meanPool } from './mean-pool.ts';
import { defaultOnnxRuntimeWasm } from './onnx-runtime-wasm.ts';

/** The `embeddings.onnx` settings (src/config/schema.ts). */
export interface OnnxProviderSettings {
  /** A directory with model.onnx and tokenizer.json (and optionally tokenizer_config.json), e.g. a MiniLM or BGE-small export. */
  model_dir: string;
  /** Tokens per text, special tokens included; longer texts are cut (the model's own limit is often 512). */
  max_tokens: number;
  /** Texts per run of the model. */
  batch_size: number;
}

/** What the provider needs from the runtime: it reads the model, the tokenizer and ONNX Runtime's WASM through it. */
export interface OnnxHost {
  fs: Pick<FileSystem, 'readBytes' | 'exists'>;
  /** Path of ort-wasm-simd-threaded.wasm; the checkout's or the executable's by default. */
  wasmPath?: string;
}

type Ort = typeof import('onnxruntime-web');

// One ONNX Runtime per process: its WASM module is instantiated once, on first use.
let runtime: Promise<Ort> | null = null;

function loadRuntime(host: OnnxHost): Promise<Ort> {
  runtime ??= (async () => {
    const wasmBinary = await host.fs.readBytes(host.wasmPath ?? defaultOnnxRuntimeWasm());
    const ort = await import('onnxruntime-web');
    // Single-threaded and from bytes, not from a URL: works the same on Node, Deno and inside the executable.
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.wasmBinary = wasmBinary;
    return ort;
  })();
  runtime.catch(() => (runtime = null));
  return runtime;
}

const invalid = (message: string, data: Record<string, unknown> = {}) => new RpcError('VALIDATION_ERROR', message, { field: 'embeddings.onnx.model_dir', ...data });

async function readModelDir(settings: OnnxProviderSettings, host: OnnxHost) {
  const file = (name: string) => `${settings.model_dir.replace(/\/+$/, '')}/${name}`;
  for (const name of ['model.onnx', 'tokenizer.json']) {
    if (!(await host.fs.exists(file(name)))) throw invalid(`${file(name)} does not exist: the onnx provider needs model.onnx and tokenizer.json in ${settings.model_dir}`, { path: file(name) });
  }
  const json = async (name: string): Promise<{ bytes: Uint8Array; value: object }> => {
    const bytes = await host.fs.readBytes(file(name));
    try {
      return { bytes, value: JSON.parse(new TextDecoder().decode(bytes)) as object };
    } catch (error) {
      throw invalid(`${file(name)} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { path: file(name) });
    }
  };
  const model = await host.fs.readBytes(file('model.onnx'));
  const tokenizer = await json('tokenizer.json');
  const config = (await host.fs.exists(file('tokenizer_config.json'))) ? await json('tokenizer_config.json') : { bytes: new Uint8Array(0), value: {} };
  return { model, tokenizer: tokenizer.value, config: config.value, fingerprint: await fingerprint([model, tokenizer.bytes, config.bytes]) };
}

/**
 * A model directory the user supplies, run in process: tokenize (pure JS), run the model
 * (ONNX Runtime's WASM build, single thread), mean-pool the token vectors over the
 * attention mask (or take the model's own pooled `sentence_embedding`), normalise.
 * Nothing is downloaded. Opening runs the model once, to learn the dimension.
 */
export async function openOnnxProvider(settings: OnnxProviderSettings, host: OnnxHost): Promise<EmbeddingProvider> {
  const files = await readModelDir(settings, host);
  const ort = await loadRuntime(host);
  const { Tokenizer } = await import('@huggingface/tokenizers');
  let tokenizer: InstanceType<typeof Tokenizer>;
  let session: Awaited<ReturnType<Ort['InferenceSession']['create']>>;
  try {
    tokenizer = new Tokenizer(files.tokenizer, files.config);
  } catch (error) {
    throw invalid(`tokenizer.json cannot be used: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    session = await ort.InferenceSession.create(files.model, { executionProviders: ['wasm'] });
  } catch (error) {
    throw invalid(`model.onnx cannot be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  const unknownInputs = session.inputNames.filter((name) => !['input_ids', 'attention_mask', 'token_type_ids'].includes(name));
  if (!session.inputNames.includes('input_ids') || unknownInputs.length) {
    throw invalid(`model.onnx takes inputs ${session.inputNames.join(', ')}: an embedding model takes input_ids (and attention_mask, token_type_ids)`, { inputs: session.inputNames });
  }
  const output = ['sentence_embedding', 'last_hidden_state'].find((name) => session.outputNames.includes(name)) ?? session.outputNames[0]!;
  const padId = tokenizer.token_to_id('[PAD]') ?? tokenizer.token_to_id('<pad>') ?? 0;

  const runBatch = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const encoded = texts.map((text) => {
      const { ids } = tokenizer.encode(text);
      // Cut to max_tokens, keeping the last token: the closing special token where the model has one.
      return ids.length > settings.max_tokens ? [...ids.slice(0, settings.max_tokens - 1), ids[ids.length - 1]!] : ids;
    });
    const sequence = Math.max(1, ...encoded.map((ids) => ids.length));
    const ids = new BigInt64Array(texts.length * sequence).fill(BigInt(padId));
    const mask = new BigInt64Array(texts.length * sequence);
    encoded.forEach((tokens, row) =>
      tokens.forEach((id, column) => {
        ids[row * sequence + column] = BigInt(id);
        mask[row * sequence + column] = 1n;
      }),
    );
    const shape = [texts.length, sequence];
    const feeds: Record<string, InstanceType<Ort['Tensor']>> = { input_ids: new ort.Tensor('int64', ids, shape) };
    if (session.inputNames.includes('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', mask, shape);
    if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(ids.length), shape);
    const result = (await session.run(feeds))[output]!;
    const data = result.data as Float32Array;
    const dims = result.dims.map(Number);
    if (dims.length === 3) return meanPool(data, mask, dims[0]!, dims[1]!, dims[2]!).map(normalize);
    if (dims.length === 2) return Array.from({ length: dims[0]! }, (_, row) => normalize(data.slice(row * dims[1]!, (row + 1) * dims[1]!)));
    throw invalid(`model.onnx answers ${output} of shape [${dims.join(', ')}]: an embedding model answers [batch, sequence, dimension] or [batch, dimension]`, { output, dims });
  };

  // One run at a time: the WASM runtime is single-threaded.
  let queue: Promise<unknown> = Promise.resolve();
  const embed = (texts: readonly string[]): Promise<Float32Array[]> => {
    const run = queue.then(async () => {
      const vectors: Float32Array[] = [];
      for (let at = 0; at < texts.length; at += settings.batch_size) vectors.push(...(await runBatch(texts.slice(at, at + settings.batch_size))));
      return vectors;
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const dimension = (await embed(['dimension probe']))[0]!.length;
  return {
    kind: 'onnx',
    modelId: `onnx-${files.fingerprint}-${dimension}d-${settings.max_tokens}t`,
    dimension,
    embed,
    close: () => session.release(),
  };
}
