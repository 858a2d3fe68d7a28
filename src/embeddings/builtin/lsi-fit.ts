import { exp, ln } from './exact-math.ts';
import { type LsiModel, type LsiParameters, termWeight } from './lsi-model.ts';
import { randomizedSvd } from './randomized-svd.ts';
import type { SparseRows } from './sparse-rows.ts';
import type { TermBag } from './term-bag.ts';

/** The vocabulary worth learning: frequent enough to co-occur, rare enough to mean something; sorted. */
function chooseVocabulary(bags: readonly TermBag[], parameters: LsiParameters): { terms: string[]; documentFrequency: Int32Array } {
  const frequency = new Map<string, number>();
  for (const bag of bags) for (const term of bag.keys()) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  const ceiling = Math.max(parameters.minDocumentFrequency, parameters.maxDocumentShare * bags.length);
  const candidates = [...frequency].filter(([, df]) => df >= parameters.minDocumentFrequency && df <= ceiling);
  if (candidates.length > parameters.maxVocabulary) {
    candidates.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    candidates.length = parameters.maxVocabulary;
  }
  candidates.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { terms: candidates.map(([term]) => term), documentFrequency: Int32Array.from(candidates, ([, df]) => df) };
}

/** Documents × terms, TF-IDF (sub-linear tf), each row of unit length. */
function tfidfRows(bags: readonly TermBag[], index: Map<string, number>, idf: Float64Array): SparseRows {
  const rowStart = new Int32Array(bags.length + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  bags.forEach((bag, row) => {
    const first = colIndex.length;
    let norm = 0;
    const entries = [...bag].flatMap(([term, weight]) => {
      const col = index.get(term);
      return col === undefined ? [] : [[col, termWeight(weight) * idf[col]!] as const];
    });
    entries.sort((a, b) => a[0] - b[0]);
    for (const [, value] of entries) norm += value * value;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (const [col, value] of entries) {
      colIndex.push(col);
      values.push(value * scale);
    }
    rowStart[row + 1] = first + entries.length;
  });
  return { rows: bags.length, cols: index.size, rowStart, colIndex: Int32Array.from(colIndex), values: Float64Array.from(values) };
}

/**
 * Latent semantic indexing fitted on the documents' term bags: TF-IDF, then a truncated
 * randomized SVD. Deterministic: the same bags in the same order and the same parameters
 * give the same model.
 */
export function fitLsi(bags: readonly TermBag[], parameters: LsiParameters): LsiModel {
  const { terms, documentFrequency } = chooseVocabulary(bags, parameters);
  const index = new Map(terms.map((term, i) => [term, i]));
  const idf = Float64Array.from(documentFrequency, (df) => ln(bags.length / df));
  const svd = randomizedSvd(tfidfRows(bags, index, idf), {
    rank: parameters.dimensions,
    oversampling: parameters.oversampling,
    powerIterations: parameters.powerIterations,
    seed: parameters.seed,
  });
  const k = svd.singularValues.length;
  const projection = new Float32Array(terms.length * k);
  const scale = Float64Array.from(svd.singularValues, (sigma) => exp(-parameters.sigmaExponent * ln(sigma)));
  for (let t = 0; t < terms.length; t++) {
    for (let j = 0; j < k; j++) projection[t * k + j] = idf[t]! * svd.vectors.data[t * k + j]! * scale[j]!;
  }
  return { parameters, terms, dimension: k, projection, documents: bags.length, singularValues: Float32Array.from(svd.singularValues) };
}
