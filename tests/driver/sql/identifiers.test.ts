import { describe, expect, it } from 'vitest';
import { assertIdentifier, IDENTIFIER_PATTERN, isIdentifier, MAX_IDENTIFIER_LENGTH, quote } from '../../../src/driver/sql/identifiers.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { thrownBy } from '../../helpers/rpc-error.ts';

describe('isIdentifier', () => {
  it.each(['a', '_', 'A_1', '_private', 'files', 'x'.repeat(MAX_IDENTIFIER_LENGTH)])('accepts %j', (name) => {
    expect(isIdentifier(name)).toBe(true);
  });

  it.each([
    ['an injection attempt', 'x; DROP TABLE y'],
    ['an embedded double quote', 'a"b'],
    ['an embedded single quote', "a'b"],
    ['a leading digit', '1abc'],
    ['the empty string', ''],
    ['a space', 'a b'],
    ['a dot', 'main.files'],
    ['a hyphen', 'a-b'],
    ['a trailing newline', 'abc\n'],
    ['a non-ASCII letter', 'café'],
    ['a 64-character name', 'x'.repeat(64)],
  ])('rejects %s', (_label, name) => {
    expect(isIdentifier(name)).toBe(false);
  });

  it.each([[1], [null], [undefined], [{}], [['a']]])('rejects the non-string %j', (value) => {
    expect(isIdentifier(value)).toBe(false);
  });

  it('limits names to 63 characters, the PostgreSQL limit', () => {
    expect(MAX_IDENTIFIER_LENGTH).toBe(63);
    expect(IDENTIFIER_PATTERN.test('x'.repeat(64))).toBe(true);
    expect(isIdentifier('x'.repeat(64))).toBe(false);
  });
});

describe('assertIdentifier', () => {
  it('returns a valid name unchanged', () => {
    expect(assertIdentifier('files_2', 'table_name')).toBe('files_2');
  });

  it.each(['x; DROP TABLE y', 'a"b', '1abc', '', 'y'.repeat(64)])('refuses %j with VALIDATION_ERROR naming the field', (name) => {
    const error = thrownBy(() => assertIdentifier(name, 'columns[1]'));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toMatch(/^columns\[1\]: /);
    expect(error.message).toContain(JSON.stringify(name));
    expect(error.message).toContain('at most 63 characters');
    expect(error.data).toEqual({ field: 'columns[1]', value: name });
  });

  it('reports a non-string value as text', () => {
    const error = thrownBy(() => assertIdentifier(42, 'table_name'));
    expect(error.message).toMatch(/^table_name: 42 is not a valid identifier/);
    expect(error.data).toEqual({ field: 'table_name', value: '42' });
    expect(thrownBy(() => assertIdentifier(undefined, 'x')).data).toEqual({ field: 'x', value: 'undefined' });
  });
});

describe('quote', () => {
  it('wraps a name in double quotes', () => {
    expect(quote('files')).toBe('"files"');
    expect(quote('Select')).toBe('"Select"');
  });
});
