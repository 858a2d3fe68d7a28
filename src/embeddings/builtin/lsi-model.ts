import { addScaled, normalize } from '../vector-math.ts';
import { ln } from './exact-math.ts';
import type { TermBag, TermOptions } from './term-bag.ts';

/** Everything that decides a fitted model's vectors besides the texts it learnt from. */
export interface LsiParameters extends TermOptions {
  /** Dimensions asked for (a fitted model may have fewer: see LsiModel.dimension). */
  dimensions: number;
  oversampling: number;
  powerIterations: number;
  seed: number;
  /** A term must occur in this many documents to be learnt (rarer ones carry no co-occurrence). */
  minDocumentFrequency: number;
  /** A term in more than this share of the documents is noise, not topic. */
  maxDocumentShare: number;
  /** The most frequent terms kept, at most. */
  maxVocabulary: number;
  /** A vector is Σ^-α·Uᵀ·x: 0 keeps the singular values' weight, 1 gives every dimension the same. */
  sigmaExponent: number;
}

/** A fitted latent semantic model: the vocabulary and the term → vector projection. */
export interface LsiModel {
  parameters: LsiParameters;
  /** The vocabulary, sorted; row t of `projection` is terms[t]'s. */
  terms: readonly string[];
  /** Length of the vectors: at most parameters.dimensions, fewer when the corpus has less rank. */
  dimension: number;
  /** terms × dimension, row-major: idf(t) · U(t, ·) · Σ^-α. */
  projection: Float32Array;
  /** How many documents it was fitted on. */
  documents: number;
  singularValues: Float32Array;
}

/** How much of a term a text has, as the model counts it: sub-linear in its weight. */
export const termWeight = (weight: number) => ln(1 + weight);

/** Index of each term of a model's vocabulary. */
export function termIndex(model: LsiModel): Map<string, number> {
  return new Map(model.terms.map((term, index) => [term, index]));
}

/**
 * A text's vector: the weighted sum of its known terms' rows, unit length, or zero when it
 * has no known term. `known` reports how much of the bag's weight the vocabulary covered.
 */
export function projectBag(model: LsiModel, index: ReadonlyMap<string, number>, bag: TermBag): { vector: Float32Array; known: number; total: number } {
  const k = model.dimension;
  const sum = new Float64Array(k);
  const { projection } = model;
  let known = 0;
  let total = 0;
  for (const [term, weight] of bag) {
    total += weight;
    const row = index.get(term);
    if (row === undefined) continue;
    known += weight;
    addScaled(sum, 0, termWeight(weight), projection, row * k, k);
  }
  const vector = normalize(Float32Array.from(sum));
  return { vector, known, total };
}
