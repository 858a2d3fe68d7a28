/**
 * Today's `search`, approximated in process (src/db/code-dialect.ts, SQLite): every word
 * of the question must be a prefix of a token of the name, qualified name or docstring
 * (FTS5 unicode61 tokens: letters and digits, `_` separates, camelCase is not split);
 * matches rank by exact name, then name prefix, then name containing the question, then
 * by BM25 over those tokens.
 */
export interface NameSearchDocument {
  name: string;
  qualified_name: string;
  docstring: string | null;
}

const tokens = (text: string) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

export class NameSearch {
  /** Sorted distinct tokens, for prefix lookups by binary search. */
  private readonly vocabulary: string[];
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly lengths: Int32Array;
  private readonly averageLength: number;

  constructor(private readonly documents: readonly NameSearchDocument[]) {
    this.lengths = new Int32Array(documents.length);
    documents.forEach((doc, index) => {
      const all = tokens(`${doc.name} ${doc.qualified_name} ${doc.docstring ?? ''}`);
      this.lengths[index] = all.length;
      for (const token of all) {
        let posting = this.postings.get(token);
        if (!posting) this.postings.set(token, (posting = new Map()));
        posting.set(index, (posting.get(index) ?? 0) + 1);
      }
    });
    this.vocabulary = [...this.postings.keys()].sort();
    this.averageLength = this.lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, documents.length);
  }

  private withPrefix(prefix: string): string[] {
    let low = 0;
    let high = this.vocabulary.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.vocabulary[mid]! < prefix) low = mid + 1;
      else high = mid;
    }
    const found: string[] = [];
    for (let i = low; i < this.vocabulary.length && this.vocabulary[i]!.startsWith(prefix); i++) found.push(this.vocabulary[i]!);
    return found;
  }

  search(query: string, limit: number): number[] {
    const words = tokens(query);
    if (words.length === 0) return [];
    const n = this.documents.length;
    let candidates: Map<number, number> | null = null;
    for (const word of words) {
      const scores = new Map<number, number>();
      for (const token of this.withPrefix(word)) {
        const posting = this.postings.get(token)!;
        const idf = Math.log(1 + (n - posting.size + 0.5) / (posting.size + 0.5));
        for (const [doc, tf] of posting) {
          const norm = tf + 1.2 * (0.25 + (0.75 * this.lengths[doc]!) / this.averageLength);
          scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * 2.2) / norm);
        }
      }
      const previous: Map<number, number> | null = candidates;
      candidates = new Map();
      for (const [doc, score] of scores) {
        if (previous === null) candidates.set(doc, score);
        else if (previous.has(doc)) candidates.set(doc, previous.get(doc)! + score);
      }
    }
    const needle = query.trim().toLowerCase();
    const tier = (doc: number) => {
      const name = this.documents[doc]!.name.toLowerCase();
      return name === needle ? 0 : name.startsWith(needle) ? 1 : name.includes(needle) ? 2 : 3;
    };
    return [...candidates!]
      .map(([doc, score]) => ({ doc, score, tier: tier(doc) }))
      .sort((a, b) => a.tier - b.tier || b.score - a.score || a.doc - b.doc)
      .slice(0, limit)
      .map(({ doc }) => doc);
  }
}
