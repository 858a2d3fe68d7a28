import { RpcError } from '../../ipc/errors.ts';
import { isTestPath } from '../code-conventions.ts';
import { fingerprint } from '../fingerprint.ts';
import { fitLsi } from './lsi-fit.ts';
import type { LsiModel, LsiParameters } from './lsi-model.ts';
import { decodeLsiModel, encodeLsiModel } from './model-codec.ts';
import { type TermBag, termBag } from './term-bag.ts';

/**
 * The builtin model's settings, each chosen on the labelled queries by
 * tests/bench/semantic.bench.ts (README "Semantic search" gives the figures): titles
 * weigh three times the other fields, body lines are left to full-text search, vectors
 * are Σ⁻¹-scaled (every latent dimension counts alike), 192 dimensions.
 */
export const BUILTIN_DEFAULTS: LsiParameters = {
  stem: true,
  fieldWeights: [3, 1, 1, 1, 0],
  dimensions: 192,
  oversampling: 16,
  powerIterations: 1,
  seed: 1,
  minDocumentFrequency: 2,
  maxDocumentShare: 0.5,
  maxVocabulary: 40_000,
  sigmaExponent: 1,
};

/** A fitted builtin model with its bytes (what is stored) and its id (which names them). */
export interface BuiltinModel {
  lsi: LsiModel;
  bytes: Uint8Array;
  id: string;
}

async function identify(lsi: LsiModel, bytes: Uint8Array): Promise<BuiltinModel> {
  return { lsi, bytes, id: `builtin-lsi-${lsi.dimension}d-${await fingerprint([bytes])}` };
}

/** One source file of the corpus: its path and the texts (symbolText) of its definitions. */
export interface CorpusFile {
  path: string;
  texts: readonly string[];
}

/**
 * What the model learns from: one document per file (a file's definitions share a topic,
 * which a lone definition is too short to show), library files only — test files repeat
 * the library's words in their own idiom — unless there is nothing else.
 */
export function fittingDocuments(files: readonly CorpusFile[]): string[][] {
  const library = files.filter((file) => !isTestPath(file.path));
  return (library.length > 0 ? library : files).map((file) => [...file.texts]);
}

/**
 * Learn the builtin model from documents, each a group of symbol texts whose words are
 * counted together (fittingDocuments). Deterministic: the same documents in the same order
 * and the same parameters give the same bytes and the same id.
 */
export async function fitBuiltinModel(documents: ReadonlyArray<readonly string[]>, parameters: Partial<LsiParameters> = {}): Promise<BuiltinModel> {
  const settings = { ...BUILTIN_DEFAULTS, ...parameters };
  const cache = new Map<string, readonly string[]>();
  const bags = documents.map((texts) => {
    const bag: TermBag = new Map();
    for (const text of texts) for (const [term, weight] of termBag(text, settings, cache)) bag.set(term, (bag.get(term) ?? 0) + weight);
    return bag;
  });
  const lsi = fitLsi(bags, settings);
  if (lsi.dimension === 0) {
    throw new RpcError(
      'VALIDATION_ERROR',
      `the builtin model cannot learn from ${documents.length} documents: no word occurs in ${settings.minDocumentFrequency} of them`,
      { field: 'documents', documents: documents.length },
    );
  }
  return identify(lsi, encodeLsiModel(lsi));
}

/** A stored model back from its bytes (VALIDATION_ERROR when they are not one). */
export async function loadBuiltinModel(bytes: Uint8Array): Promise<BuiltinModel> {
  return identify(decodeLsiModel(bytes), bytes);
}
