import { SYMBOL_TEXT_FIELDS } from '../symbol-text.ts';
import { subwords } from '../subwords.ts';
import { porterStem } from './porter-stemmer.ts';
import { STOP_WORDS } from './stop-words.ts';

/** How the builtin model turns a text into terms; part of a fitted model (changing it changes every vector). */
export interface TermOptions {
  /** Porter-stem the words. */
  stem: boolean;
  /**
   * Weight of a word by the field of the symbol text it is in (SYMBOL_TEXT_FIELDS order:
   * title, signature, docstring, body). A text that is not a symbol's (a question) is
   * all title: one weight for all its words, which normalisation makes irrelevant.
   */
  fieldWeights: readonly number[];
}

/** A term and how much of it a text has: the sum of the weights of its occurrences. */
export type TermBag = Map<string, number>;

const BODY_FIELD = SYMBOL_TEXT_FIELDS.indexOf('body');

const NONE: readonly string[] = [];

/** The terms of one word: none for stop words and single characters, else the word, stemmed when asked. */
export function termsOf(word: string, stem: boolean): readonly string[] {
  if (word.length < 2 || STOP_WORDS.has(word)) return NONE;
  return [stem ? porterStem(word) : word];
}

/** The weighted terms of a text (see TermOptions). Stems are memoised per call site through `cache`. */
export function termBag(text: string, options: TermOptions, cache?: Map<string, readonly string[]>): TermBag {
  const bag: TermBag = new Map();
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line++) {
    const weight = options.fieldWeights[Math.min(line, BODY_FIELD)] ?? 1;
    if (weight === 0) continue;
    for (const word of subwords(lines[line]!)) {
      let terms = cache?.get(word);
      if (terms === undefined) {
        terms = termsOf(word, options.stem);
        cache?.set(word, terms);
      }
      for (const term of terms) bag.set(term, (bag.get(term) ?? 0) + weight);
    }
  }
  return bag;
}
