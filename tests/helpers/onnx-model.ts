/**
 * A tiny ONNX embedding model and its tokenizer, made by the test itself (nothing is
 * downloaded): a token-embedding table looked up by `Gather` — the first layer of every
 * transformer — as `last_hidden_state [batch, sequence, dimension]`, optionally followed by
 * `ReduceMean` over the sequence as `sentence_embedding`; and a BERT-style WordPiece
 * `tokenizer.json` ([CLS] … [SEP]). The protobuf encoding is written out here by hand.
 */

import { concatBytes } from '../../src/embeddings/fingerprint.ts';

// --- protobuf wire format: varints and length-delimited fields are all ONNX needs here ---

type Field = Uint8Array;

function varint(value: number | bigint): number[] {
  let n = BigInt(value);
  if (n < 0n) n += 1n << 64n;
  const bytes: number[] = [];
  do {
    let byte = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0n);
  return bytes;
}


const int = (field: number, value: number | bigint): Field => Uint8Array.from([...varint((field << 3) | 0), ...varint(value)]);
const bytes = (field: number, value: Uint8Array): Field => concatBytes([Uint8Array.from([...varint((field << 3) | 2), ...varint(value.length)]), value]);
const text = (field: number, value: string) => bytes(field, new TextEncoder().encode(value));
const message = (field: number, ...fields: Field[]) => bytes(field, concatBytes(fields));

// --- ONNX messages (onnx.proto3 field numbers) ---

const FLOAT = 1;
const INT64 = 7;

/** TypeProto.Tensor with a shape of named (dynamic) or fixed dimensions. */
const tensorType = (elemType: number, dims: Array<string | number>) =>
  message(1, int(1, elemType), message(2, ...dims.map((dim) => message(1, typeof dim === 'number' ? int(1, dim) : text(2, dim)))));
const valueInfo = (field: number, name: string, elemType: number, dims: Array<string | number>) => message(field, text(1, name), message(2, tensorType(elemType, dims)));
const node = (opType: string, inputs: string[], outputs: string[], ...attributes: Field[]) =>
  message(1, ...inputs.map((input) => text(1, input)), ...outputs.map((output) => text(2, output)), text(3, `${opType}_${outputs[0]}`), text(4, opType), ...attributes);
const intAttribute = (name: string, value: number) => message(5, text(1, name), int(20, 2), int(3, value));
const intsAttribute = (name: string, values: number[]) => message(5, text(1, name), int(20, 7), ...values.map((value) => int(8, value)));

function floatTensor(field: number, name: string, dims: number[], values: Float32Array): Field {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return message(field, ...dims.map((dim) => int(1, dim)), int(2, FLOAT), text(8, name), bytes(9, raw));
}

/** The tokens of the tiny vocabulary, in id order: specials, then words and a word piece. */
export const TINY_VOCABULARY = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'cache', 'pool', 'connection', 'limit', 'open', 'file', 'read', 'write', 'the', 'how', 'many', '##s'];

/** Row `id` of the embedding table: a deterministic vector, so tests can compute the expected output. */
export function tokenEmbedding(id: number, dimension: number): number[] {
  return Array.from({ length: dimension }, (_, j) => Math.sin(id * 1.7 + j * 0.9) + (j === id % dimension ? 1 : 0));
}

/** model.onnx bytes: Gather (→ last_hidden_state), and with `pooled` also ReduceMean (→ sentence_embedding). */
export function tinyOnnxModel(options: { dimension: number; pooled?: boolean; extraInput?: string }): Uint8Array {
  const { dimension } = options;
  const table = Float32Array.from(TINY_VOCABULARY.flatMap((_, id) => tokenEmbedding(id, dimension)));
  const names = ['input_ids', 'attention_mask', 'token_type_ids', ...(options.extraInput ? [options.extraInput] : [])];
  const inputs = names.map((name) => valueInfo(11, name, INT64, ['batch', 'sequence']));
  const outputs = [valueInfo(12, 'last_hidden_state', FLOAT, ['batch', 'sequence', dimension])];
  const nodes = [node('Gather', ['embeddings', 'input_ids'], ['last_hidden_state'], intAttribute('axis', 0))];
  if (options.pooled) {
    nodes.push(node('ReduceMean', ['last_hidden_state'], ['sentence_embedding'], intsAttribute('axes', [1]), intAttribute('keepdims', 0)));
    outputs.unshift(valueInfo(12, 'sentence_embedding', FLOAT, ['batch', dimension]));
  }
  const graph = message(7, ...nodes, text(2, 'tiny-embedder'), floatTensor(5, 'embeddings', [TINY_VOCABULARY.length, dimension], table), ...inputs, ...outputs);
  return concatBytes([int(1, 7), text(2, 'code-analysis tests'), graph, message(8, text(1, ''), int(2, 13))]);
}

const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/** tokenizer.json of a BERT-style WordPiece tokenizer over TINY_VOCABULARY. */
export function tinyTokenizerJson(): object {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]'].map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(TINY_VOCABULARY.map((token, id) => [token, id])) },
  };
}

/** Files of a model directory as the onnx provider reads them: model.onnx and tokenizer.json. */
export function tinyModelFiles(options: Parameters<typeof tinyOnnxModel>[0]): Record<string, Uint8Array> {
  return {
    'model.onnx': tinyOnnxModel(options),
    'tokenizer.json': new TextEncoder().encode(JSON.stringify(tinyTokenizerJson())),
  };
}

/** The unit vector the tiny model gives a text whose token ids are `ids`: the mean of their rows, normalised. */
export function expectedVector(ids: number[], dimension: number): number[] {
  const sum = new Array<number>(dimension).fill(0);
  for (const id of ids) tokenEmbedding(id, dimension).forEach((value, j) => (sum[j] = sum[j]! + value / ids.length));
  const norm = Math.hypot(...sum);
  return sum.map((value) => value / norm);
}
