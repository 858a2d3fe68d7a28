import { termsOf } from './builtin/term-bag.ts';
import { subwords } from './subwords.ts';

/** Shortest prefix worth searching by: shorter ones match too much. */
const MIN_PREFIX = 3;

/**
 * The words of a question as prefixes a full-text index can match: sub-words (identifiers
 * cut apart), stop words left out, each cut to its Porter stem where the stem is a prefix
 * of the word (`connections` → `connect`, which matches connection, connected, …) or to
 * what they share (`happy` stems to `happi`: `happ`). Distinct, in order.
 */
export function questionTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const word of subwords(text)) {
    const stem = termsOf(word, true)[0];
    if (stem === undefined) continue;
    let shared = 0;
    while (shared < stem.length && stem[shared] === word[shared]) shared++;
    terms.add(shared >= MIN_PREFIX ? word.slice(0, shared) : word);
  }
  return [...terms];
}
