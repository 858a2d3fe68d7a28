import { describe, expect, it } from 'vitest';
import { skipQuoted, tokenize } from '../../../src/driver/sql/sql-lexer.ts';

const words = (sql: string, dialect: 'sqlite' | 'postgres' = 'sqlite') => tokenize(sql, dialect).map((token) => `${token.kind}:${token.text}`);

describe('tokenize', () => {
  it('yields words, quoted names without their quotes, and the punctuation that matters', () => {
    expect(words('SELECT "a""b", `c`, [d e] FROM t.x WHERE n = 1;')).toEqual([
      'word:SELECT', 'quoted:a"b', 'punct:,', 'quoted:c', 'punct:,', 'quoted:d e', 'word:FROM', 'word:t', 'punct:.', 'word:x', 'word:WHERE', 'word:n', 'punct:=', 'punct:;',
    ]);
  });

  it('skips literals, comments, numbers and placeholders as the database reads them', () => {
    expect(words("SELECT 'DROP TABLE x' -- DELETE\n /* ATTACH */ , 12.5e3, ?, x'00'")).toEqual(['word:SELECT', 'punct:,', 'punct:,', 'punct:,']);
    expect(words("SELECT $1, $$ DROP $$, $tag$ ; $tag$, E'\\' DROP ', U&'x'", 'postgres')).toEqual(['word:SELECT', 'punct:,', 'punct:,', 'punct:,', 'punct:,']);
  });

  it('marks PostgreSQL names written in escapes, which it cannot read', () => {
    const [, name] = tokenize('DROP U&"\\0073ymbols"', 'postgres');
    expect(name).toMatchObject({ kind: 'quoted', text: '\\0073ymbols', escaped: true });
  });

  it('treats dollar quotes and backticks by dialect', () => {
    expect(skipQuoted('$$x$$ y', 0, 'postgres')).toBe(5);
    expect(skipQuoted('$$x$$ y', 0, 'sqlite')).toBe(0);
    expect(skipQuoted('`a` b', 0, 'postgres')).toBe(0);
    expect(skipQuoted("'unterminated", 0, 'sqlite')).toBe(13);
    expect(skipQuoted('[open', 0, 'sqlite')).toBe(5);
  });
});
