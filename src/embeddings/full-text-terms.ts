import { termsOf } from './builtin/term-bag.ts';
import { subwords } from './subwords.ts';

/**
 * What semantic search's full-text list matches of a definition, by field, as the labelled
 * evaluation chose (tests/bench/semantic/evaluate.ts, fullTextIndex): the title (name,
 * qualified name, file path), the signature, the docstring, and the rest of its text
 * (member names, first body lines). Each field is its words as terms: sub-words, stop words
 * out, Porter stems, joined by spaces — so the database's tokenizer only has to split them.
 */
export interface FullTextTerms {
  title: string;
  signature: string;
  docstring: string;
  rest: string;
}

const termsOfText = (text: string): string[] => subwords(text).flatMap((word) => termsOf(word, true));

/** The terms of a definition from its name and its text (symbol-text.ts: title, signature, docstring, then the rest, a line each). */
export function fullTextTerms(name: string, text: string): FullTextTerms {
  const lines = text.split('\n');
  return {
    title: termsOfText(`${name} ${lines[0] ?? ''}`).join(' '),
    signature: termsOfText(lines[1] ?? '').join(' '),
    docstring: termsOfText(lines[2] ?? '').join(' '),
    rest: termsOfText(lines.slice(3).join(' ')).join(' '),
  };
}

/** A question's terms, as fullTextTerms makes them: each matches the same term of a definition exactly. */
export function questionStems(text: string): string[] {
  return [...new Set(termsOfText(text))];
}
