/**
 * The embedding contract (issue 11): texts in, vectors out. Every provider (builtin,
 * http, onnx) implements it; the vectorization worker and the search surfaces depend on
 * this file only. Errors are RpcErrors (src/ipc/errors.ts) with a protocol code.
 */
import type { EMBEDDING_PROVIDERS } from '../config/schema.ts';

export interface EmbeddingProvider {
  /** `builtin`, `http` or `onnx`. */
  readonly kind: EmbeddingProviderKind;
  /**
   * Names the vector space: it changes whenever the vector of the same text would change
   * (another model, another fitted builtin model, another dimension), so stored vectors
   * with another id are stale and must be recomputed.
   */
  readonly modelId: string;
  /** Length of every vector. */
  readonly dimension: number;
  /**
   * One vector per text, in order, each of unit length — except the zero vector, which
   * says the model found nothing it can represent in the text (builtin: no known word).
   */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Release what it holds (sessions, sockets); embed is not called afterwards. */
  close(): Promise<void>;
}

/** `embeddings.provider` in the config. */
export type EmbeddingProviderKind = (typeof EMBEDDING_PROVIDERS)[number];

/** What the text of a symbol is made of (see symbol-text.ts). */
export interface SymbolSource {
  /** The symbol's own name, e.g. `raw_decode`. */
  name: string;
  /** Parents and name joined with '.', e.g. `JSONDecoder.raw_decode`. */
  qualified_name: string;
  /** The file, relative to its project root, '/' separators. */
  path: string;
  signature: string | null;
  docstring: string | null;
  /** Names of the symbols directly inside it (a class's methods), in order: what a class does is mostly what it has. */
  members: readonly string[];
  /** The first lines of the body as written (without the declaration's head), or []. */
  body: readonly string[];
}
