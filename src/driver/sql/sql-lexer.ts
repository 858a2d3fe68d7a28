/**
 * A light SQL lexer for what the driver must know of raw SQL before running it: where
 * statements end, which keywords and names they hold. Literals and comments are skipped
 * as the database reads them, so nothing hidden in a string counts and nothing outside one
 * is missed. Where the two dialects disagree about an edge (PostgreSQL nests block
 * comments) the lexer ends a comment early: it may see words that are not there, never
 * miss one that is.
 */

export type SqlDialectName = 'sqlite' | 'postgres';

export interface SqlToken {
  /** A word (keyword or plain name) as written; a quoted name without its quotes; or one of `( ) = ; . ,`. */
  text: string;
  kind: 'word' | 'quoted' | 'punct';
  /** Offset of the token's first character in the statement. */
  start: number;
  /** PostgreSQL `U&"…"`: a name spelt with escapes the lexer does not decode. */
  escaped?: boolean;
}

function closingQuote(sql: string, i: number, quote: string, backslash: boolean): number {
  let j = i + 1;
  while (j < sql.length) {
    if (backslash && sql[j] === '\\') j += 2;
    else if (sql[j] === quote) {
      if (sql[j + 1] !== quote) return j + 1;
      j += 2; // a doubled quote stands for itself
    } else j++;
  }
  return sql.length;
}

/** Where the literal, quoted name or comment starting at `i` ends (exclusive), or `i` when none starts there. */
export function skipQuoted(sql: string, i: number, dialect: SqlDialectName): number {
  const char = sql[i];
  if (char === "'") {
    // PostgreSQL's E'…' strings escape with a backslash; plain ones only by doubling the quote.
    const backslash = dialect === 'postgres' && i > 0 && /[eE]/.test(sql[i - 1]!) && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? '');
    return closingQuote(sql, i, "'", backslash);
  }
  if (char === '"') return closingQuote(sql, i, '"', false);
  if (dialect === 'sqlite' && char === '`') return closingQuote(sql, i, '`', false);
  if (dialect === 'sqlite' && char === '[') {
    const end = sql.indexOf(']', i);
    return end < 0 ? sql.length : end + 1;
  }
  if (sql.startsWith('--', i)) {
    const end = sql.indexOf('\n', i);
    return end < 0 ? sql.length : end + 1;
  }
  if (sql.startsWith('/*', i)) {
    const end = sql.indexOf('*/', i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  if (dialect === 'postgres' && char === '$') {
    const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64))?.[0];
    if (tag) {
      const end = sql.indexOf(tag, i + tag.length);
      return end < 0 ? sql.length : end + tag.length;
    }
  }
  return i;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const PUNCTUATION = new Set(['(', ')', '=', ';', '.', ',']);

function unquote(text: string): string {
  const quote = text[0]!;
  const close = quote === '[' ? ']' : quote;
  const body = text.endsWith(close) && text.length > 1 ? text.slice(1, -1) : text.slice(1);
  return quote === '[' ? body : body.replaceAll(quote + quote, quote);
}

/** The words, quoted names and punctuation of a SQL text, in order. */
export function tokenize(sql: string, dialect: SqlDialectName): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const char = sql[i]!;
    const end = skipQuoted(sql, i, dialect);
    if (end > i) {
      const isName = char === '"' || char === '`' || char === '[';
      if (isName) {
        const escaped = dialect === 'postgres' && /u&$/i.test(sql.slice(Math.max(0, i - 2), i));
        tokens.push({ text: unquote(sql.slice(i, end)), kind: 'quoted', start: i, ...(escaped ? { escaped } : {}) });
      }
      i = end;
    } else if (WORD_START.test(char)) {
      let j = i + 1;
      while (j < sql.length && WORD_PART.test(sql[j]!)) j++;
      // `U&"…"` is a name in escapes, `E'…'` / `x'…'` literals: the prefix is no word of its own.
      if (!(sql[j] === '&' && /^[uU]$/.test(sql.slice(i, j))) && sql[j] !== "'") tokens.push({ text: sql.slice(i, j), kind: 'word', start: i });
      i = sql[j] === '&' ? j + 1 : j;
    } else if (char === '$' && /\d/.test(sql[i + 1] ?? '')) {
      i += 2; // a numbered placeholder, not a word
      while (i < sql.length && /\d/.test(sql[i]!)) i++;
    } else if (/\d/.test(char)) {
      i++;
      while (i < sql.length && /[\w.]/.test(sql[i]!)) i++; // a number (with any suffix) is no word
    } else {
      if (PUNCTUATION.has(char)) tokens.push({ text: char, kind: 'punct', start: i });
      i++;
    }
  }
  return tokens;
}
