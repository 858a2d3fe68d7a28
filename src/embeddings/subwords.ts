/**
 * Words of code and prose alike: identifiers are cut into the words they are made of, so
 * `snake_case`, `camelCase` and `HTTPServer` read as `snake case`, `camel case` and
 * `http server`, and a question in words can meet the names of the code.
 */

// Runs of letters and digits: `_`, `.`, `-`, `$` and the rest separate.
const TOKEN = /[\p{L}\p{N}]+/gu;
// Within a token: an upper-case run not followed by lower case (HTTP in HTTPServer), a
// capitalised or lower-case word, a number, any other letters (scripts without case).
const PART = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+|\p{L}+/gu;

/** Every word of a text or an identifier, lower-cased, in order: `parseHTTPResponse_v2` → parse, http, response, v, 2. */
export function subwords(text: string): string[] {
  const words: string[] = [];
  for (const token of text.match(TOKEN) ?? []) {
    for (const part of token.match(PART) ?? []) words.push(part.toLowerCase());
  }
  return words;
}
