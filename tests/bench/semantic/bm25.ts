import { termsOf } from '../../../src/embeddings/builtin/term-bag.ts';
import { subwords } from '../../../src/embeddings/subwords.ts';
import type { Scored } from '../../../src/embeddings/hybrid-ranking.ts';

/**
 * Okapi BM25 over a few weighted fields, in process: what phase 2 gets from FTS5's bm25()
 * (or PostgreSQL's tsvector) over a column of the same terms. Documents and questions go
 * through the builtin model's own term function (sub-words, stop words, stems), which is
 * what the stored full-text column would hold.
 */
export interface Bm25Options {
  /** One weight per field: a term's frequency is the weighted sum over the fields (as FTS5's bm25 weights). */
  fieldWeights: number[];
  k1: number;
  b: number;
}

const textTerms = (text: string) => subwords(text).flatMap((word) => termsOf(word, true));

export class Bm25Index {
  private readonly postings = new Map<string, { docs: number[]; tf: number[] }>();
  private readonly lengths: Float64Array;
  private readonly averageLength: number;

  /** `documents[i]` are the fields of document i, in the order of the options' weights. */
  constructor(
    documents: ReadonlyArray<readonly string[]>,
    private readonly options: Bm25Options,
  ) {
    this.lengths = new Float64Array(documents.length);
    documents.forEach((fields, doc) => {
      const tf = new Map<string, number>();
      fields.forEach((field, index) => {
        const weight = options.fieldWeights[index] ?? 1;
        for (const term of textTerms(field)) {
          tf.set(term, (tf.get(term) ?? 0) + weight);
          this.lengths[doc] = this.lengths[doc]! + weight;
        }
      });
      for (const [term, frequency] of tf) {
        let posting = this.postings.get(term);
        if (!posting) this.postings.set(term, (posting = { docs: [], tf: [] }));
        posting.docs.push(doc);
        posting.tf.push(frequency);
      }
    });
    this.averageLength = this.lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, documents.length);
  }

  /** Document indices by descending score, at most `limit`; documents with no query term are not ranked. */
  search(query: string, limit: number): Array<Scored<number>> {
    const { k1, b } = this.options;
    const n = this.lengths.length;
    const scores = new Map<number, number>();
    for (const term of new Set(textTerms(query))) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const df = posting.docs.length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      posting.docs.forEach((doc, i) => {
        const tf = posting.tf[i]!;
        const norm = tf + k1 * (1 - b + (b * this.lengths[doc]!) / this.averageLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / norm);
      });
    }
    return [...scores]
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, limit)
      .map(([doc, score]) => ({ id: doc, score }));
  }
}
