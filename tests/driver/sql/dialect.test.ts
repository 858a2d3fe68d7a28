import { describe, expect, it } from 'vitest';
import { Bindings, type Dialect, quoteLiteral } from '../../../src/driver/sql/dialect.ts';
import { sqliteDialect } from '../../../src/driver/sqlite/sqlite-dialect.ts';

describe('Bindings', () => {
  it('collects values in order and hands out the dialect placeholder of each', () => {
    const numbered: Dialect = { ...sqliteDialect, name: 'postgres', placeholder: (index) => `$${index}` };
    const bindings = new Bindings(numbered);
    expect(bindings.values).toEqual([]);
    expect(bindings.add('a')).toBe('$1');
    expect(bindings.add(null)).toBe('$2');
    expect(bindings.add(3n)).toBe('$3');
    expect(bindings.values).toEqual(['a', null, 3n]);
  });

  it('uses ? for every value under SQLite', () => {
    const bindings = new Bindings(sqliteDialect);
    expect([bindings.add(1), bindings.add(2)]).toEqual(['?', '?']);
    expect(bindings.values).toEqual([1, 2]);
  });

  it('keeps each instance separate', () => {
    const first = new Bindings(sqliteDialect);
    const second = new Bindings(sqliteDialect);
    first.add('only here');
    expect(second.values).toEqual([]);
  });
});

describe('quoteLiteral', () => {
  it('wraps text in single quotes and doubles the single quotes inside', () => {
    expect(quoteLiteral('plain')).toBe("'plain'");
    expect(quoteLiteral('')).toBe("''");
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral("''")).toBe("''''''");
    expect(quoteLiteral("'; DROP TABLE t; --")).toBe("'''; DROP TABLE t; --'");
    expect(quoteLiteral('say "hi"')).toBe(`'say "hi"'`);
  });
});
