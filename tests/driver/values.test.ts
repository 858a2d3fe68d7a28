import { describe, expect, it } from 'vitest';
import type { PortableType } from '../../src/driver/table-schema.ts';
import { type BindStyle, encodeBlob, fromDatabase, parseTimestamp, toDatabase, untypedToDatabase } from '../../src/driver/values.ts';
import { ErrorCode } from '../../src/ipc/errors.ts';
import { thrownBy } from '../helpers/rpc-error.ts';
import { columnInfo } from '../helpers/table-info.ts';

const integerStyle: BindStyle = { booleans: 'integer' };
const nativeStyle: BindStyle = { booleans: 'native' };
const to = (type: PortableType | null, value: unknown, style = integerStyle) => toDatabase(value, columnInfo('col', type), 'data.col', style);
const refusal = (type: PortableType | null, value: unknown) => thrownBy(() => to(type, value));

describe('toDatabase', () => {
  it.each(['integer', 'real', 'text', 'blob', 'boolean', 'json', 'timestamp', null] as const)('passes null through for a %s column', (type) => {
    expect(to(type, null)).toBeNull();
  });

  describe('integer', () => {
    it('accepts safe integers as they are', () => {
      expect(to('integer', 0)).toBe(0);
      expect(to('integer', -42)).toBe(-42);
      expect(to('integer', Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
      expect(to('integer', Number.MIN_SAFE_INTEGER)).toBe(Number.MIN_SAFE_INTEGER);
    });

    it.each([
      [1.5, 'number 1.5'],
      [2 ** 53, `number ${2 ** 53}`],
      [Number.NaN, 'number NaN'],
      ['12', 'a string "12"'],
      [true, 'boolean true'],
      [[1], 'an array'],
      [{ n: 1 }, 'an object'],
    ])('refuses %j, naming the field and the expected type', (value, got) => {
      const error = refusal('integer', value);
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.message).toBe(`data.col: expected an integer, got ${got}`);
      expect(error.data).toEqual({ field: 'data.col', expected: 'an integer' });
    });

    it('decodes {$bigint} to a bigint over the whole int64 range', () => {
      expect(to('integer', { $bigint: '9007199254740993' })).toBe(9007199254740993n);
      expect(to('integer', { $bigint: '9223372036854775807' })).toBe(2n ** 63n - 1n);
      expect(to('integer', { $bigint: '-9223372036854775808' })).toBe(-(2n ** 63n));
      expect(to('integer', { $bigint: '-0' })).toBe(0n);
      expect(to('integer', { $bigint: '007' })).toBe(7n);
    });

    it.each(['9223372036854775808', '-9223372036854775809', '99999999999999999999999'])('refuses {$bigint: %j} outside int64', (digits) => {
      const error = refusal('integer', { $bigint: digits });
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.message).toBe('data.col: expected a 64-bit integer, got an object');
      expect(error.data).toMatchObject({ field: 'data.col', expected: 'a 64-bit integer' });
    });

    it.each(['', '12a', '1.5', '+1', ' 1', '1e3', '0x10', '--1'])('refuses malformed digits {$bigint: %j}', (digits) => {
      const error = refusal('integer', { $bigint: digits });
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.data?.expected).toBe('{"$bigint": "<decimal digits>"}');
    });

    it('refuses a non-string $bigint and a tagged object with extra keys', () => {
      expect(refusal('integer', { $bigint: 12 }).data?.expected).toBe('{"$bigint": "<decimal digits>"}');
      expect(refusal('integer', { $bigint: '1', also: 2 }).message).toBe('data.col: expected an integer, got an object');
    });
  });

  describe('real', () => {
    it('accepts finite numbers', () => {
      expect(to('real', 1.25)).toBe(1.25);
      expect(to('real', -3)).toBe(-3);
      expect(to('real', 1e300)).toBe(1e300);
    });

    it.each([[Number.POSITIVE_INFINITY], [Number.NaN], ['1.5'], [{ $bigint: '1' }]])('refuses %j', (value) => {
      const error = refusal('real', value);
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.message).toMatch(/^data\.col: expected a number, got /);
    });
  });

  describe('text', () => {
    it('accepts strings, including empty and hostile ones, unchanged', () => {
      expect(to('text', '')).toBe('');
      expect(to('text', "'; DROP TABLE t; --")).toBe("'; DROP TABLE t; --");
    });

    it.each([[5, 'number 5'], [false, 'boolean false'], [{}, 'an object'], [['a'], 'an array']])('refuses %j', (value, got) => {
      expect(refusal('text', value).message).toBe(`data.col: expected a string, got ${got}`);
    });

    it('shortens a long string in the message', () => {
      const error = refusal('integer', 'x'.repeat(100));
      expect(error.message).toBe(`data.col: expected an integer, got a string "${'x'.repeat(40)}…"`);
    });
  });

  describe('blob', () => {
    it('decodes valid base64 into bytes', () => {
      expect(to('blob', { $blob: 'AAEC/w==' })).toEqual(new Uint8Array([0, 1, 2, 255]));
      expect(to('blob', { $blob: '' })).toEqual(new Uint8Array([]));
      expect(to('blob', { $blob: '+/+/' })).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
    });

    it('round-trips bytes through encodeBlob', () => {
      const bytes = new Uint8Array(256).map((_, i) => i);
      expect(to('blob', encodeBlob(bytes))).toEqual(bytes);
    });

    it.each(['AAE', 'AA=A', 'A===', '!!!!', 'AAEC/w', 'AA EC', 'AA-_'])('refuses invalid base64 %j', (data) => {
      const error = refusal('blob', { $blob: data });
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.message).toBe('data.col: expected {"$blob": "<base64>"}, got an object');
    });

    it('refuses anything but a tagged blob', () => {
      expect(refusal('blob', 'AAEC').data?.expected).toBe('{"$blob": "<base64>"}');
      expect(refusal('blob', { $blob: 5 }).data?.expected).toBe('{"$blob": "<base64>"}');
      expect(refusal('blob', [0, 1]).message).toBe('data.col: expected {"$blob": "<base64>"}, got an array');
    });
  });

  describe('boolean', () => {
    it('binds booleans as 1/0 for an integer-boolean database and as themselves for a native one', () => {
      expect(to('boolean', true)).toBe(1);
      expect(to('boolean', false)).toBe(0);
      expect(to('boolean', true, nativeStyle)).toBe(true);
      expect(to('boolean', false, nativeStyle)).toBe(false);
    });

    it.each([[1], [0], ['true'], [{}]])('refuses %j', (value) => {
      expect(refusal('boolean', value).message).toMatch(/^data\.col: expected a boolean, got /);
    });
  });

  describe('json', () => {
    it('stores any JSON value as its text', () => {
      expect(to('json', { a: [1, { b: null }] })).toBe('{"a":[1,{"b":null}]}');
      expect(to('json', [1, 'two'])).toBe('[1,"two"]');
      expect(to('json', 'text')).toBe('"text"');
      expect(to('json', 3.5)).toBe('3.5');
      expect(to('json', false)).toBe('false');
      expect(to('json', { $bigint: '1' })).toBe('{"$bigint":"1"}');
    });
  });

  describe('timestamp', () => {
    it.each([
      ['2024-05-01T12:00:00Z', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01T12:00:00.123Z', '2024-05-01T12:00:00.123Z'],
      ['2024-05-01T14:00:00+02:00', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01T07:30:00-04:30', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01 12:00:00', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01T12:00:00', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01 12:00', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01 12:00:00.5', '2024-05-01T12:00:00.500Z'],
      ['  2024-05-01 12:00:00  ', '2024-05-01T12:00:00.000Z'],
      ['2024-05-01', '2024-05-01T00:00:00.000Z'],
    ])('normalises %j to UTC ISO %j', (input, output) => {
      expect(to('timestamp', input)).toBe(output);
    });

    it.each([['soon'], ['2024-13-01'], ['2024-05-01T25:00:00Z'], [''], [1714564800000], [{}]])('refuses %j', (value) => {
      const error = refusal('timestamp', value);
      expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(error.message).toMatch(/^data\.col: expected an ISO 8601 timestamp string, got /);
    });

    // Was a bug, fixed: parseTimestamp hands anything it does not recognise to `new Date(text)`, whose legacy parser accepts non-ISO text ("1" is 2001-01-01, "May 1 2024" is read in the server's local time zone).
    it('refuses text that is not ISO 8601 at all', () => {
      expect(refusal('timestamp', '1').code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(refusal('timestamp', 'May 1 2024').code).toBe(ErrorCode.VALIDATION_ERROR);
    });

    // Was a bug, fixed: V8's Date accepts any day up to 31, so an impossible date silently rolls over into the next month.
    it('refuses an impossible calendar date instead of rolling it over', () => {
      expect(refusal('timestamp', '2023-02-30').code).toBe(ErrorCode.VALIDATION_ERROR);
    });
  });

  describe('untyped columns', () => {
    it('accepts any scalar and the tagged encodings', () => {
      expect(to(null, 'x')).toBe('x');
      expect(to(null, 2.5)).toBe(2.5);
      expect(to(null, true)).toBe(1);
      expect(to(null, false, nativeStyle)).toBe(false);
      expect(to(null, { $bigint: '-9223372036854775808' })).toBe(-(2n ** 63n));
      expect(to(null, { $blob: 'AQI=' })).toEqual(new Uint8Array([1, 2]));
    });

    it('refuses objects, arrays and non-finite numbers', () => {
      expect(refusal(null, { a: 1 }).message).toBe('data.col: expected a string, number, boolean, null, {"$bigint"} or {"$blob"}, got an object');
      expect(refusal(null, [1]).code).toBe(ErrorCode.VALIDATION_ERROR);
      expect(refusal(null, Number.NaN).message).toBe('data.col: expected a finite number, got number NaN');
    });

    it('untypedToDatabase names the given field', () => {
      expect(untypedToDatabase(null, 'params[0]', integerStyle)).toBeNull();
      const error = thrownBy(() => untypedToDatabase({ nested: true }, 'params[3]', integerStyle));
      expect(error.data).toMatchObject({ field: 'params[3]' });
      expect(error.message).toMatch(/^params\[3\]: /);
    });
  });
});

describe('fromDatabase', () => {
  it('turns null and undefined into null', () => {
    expect(fromDatabase(null, 'text')).toBeNull();
    expect(fromDatabase(undefined, null)).toBeNull();
  });

  it('turns a bigint within ±(2^53−1) into a number and one beyond into {$bigint}', () => {
    expect(fromDatabase(42n, 'integer')).toBe(42);
    expect(fromDatabase(BigInt(Number.MAX_SAFE_INTEGER), 'integer')).toBe(Number.MAX_SAFE_INTEGER);
    expect(fromDatabase(BigInt(Number.MIN_SAFE_INTEGER), null)).toBe(Number.MIN_SAFE_INTEGER);
    expect(fromDatabase(2n ** 53n, 'integer')).toEqual({ $bigint: '9007199254740992' });
    expect(fromDatabase(-(2n ** 53n), 'integer')).toEqual({ $bigint: '-9007199254740992' });
    expect(fromDatabase(2n ** 63n - 1n, null)).toEqual({ $bigint: '9223372036854775807' });
  });

  it('encodes bytes as {$blob}', () => {
    expect(fromDatabase(new Uint8Array([0, 1, 2, 255]), 'blob')).toEqual({ $blob: 'AAEC/w==' });
    expect(fromDatabase(Buffer.from('hi'), null)).toEqual({ $blob: 'aGk=' });
    expect(fromDatabase(new Uint8Array(0), 'blob')).toEqual({ $blob: '' });
  });

  it('turns 0/1 of a boolean column into booleans, as numbers or bigints', () => {
    expect(fromDatabase(1n, 'boolean')).toBe(true);
    expect(fromDatabase(0n, 'boolean')).toBe(false);
    expect(fromDatabase(1, 'boolean')).toBe(true);
    expect(fromDatabase(0, 'boolean')).toBe(false);
    expect(fromDatabase(true, 'boolean')).toBe(true);
    expect(fromDatabase(1n, 'integer')).toBe(1);
  });

  it('parses json text and returns text that is not JSON as it is', () => {
    expect(fromDatabase('{"a":[1,null]}', 'json')).toEqual({ a: [1, null] });
    expect(fromDatabase('"text"', 'json')).toBe('text');
    expect(fromDatabase('not json {', 'json')).toBe('not json {');
    expect(fromDatabase(3.5, 'json')).toBe(3.5);
    expect(fromDatabase(7n, 'json')).toBe(7);
  });

  it('normalises timestamps to UTC ISO and leaves what it cannot parse alone', () => {
    expect(fromDatabase('2024-05-01 12:00:00', 'timestamp')).toBe('2024-05-01T12:00:00.000Z');
    expect(fromDatabase('2024-05-01', 'timestamp')).toBe('2024-05-01T00:00:00.000Z');
    expect(fromDatabase('2024-05-01T14:00:00+02:00', 'timestamp')).toBe('2024-05-01T12:00:00.000Z');
    expect(fromDatabase('garbage', 'timestamp')).toBe('garbage');
    expect(fromDatabase(new Date('2024-05-01T12:00:00Z'), 'timestamp')).toBe('2024-05-01T12:00:00.000Z');
    expect(fromDatabase(1.5, 'timestamp')).toBe(1.5);
  });

  it('passes other values of other types through', () => {
    expect(fromDatabase('2024-05-01 12:00:00', 'text')).toBe('2024-05-01 12:00:00');
    expect(fromDatabase('{"a":1}', null)).toBe('{"a":1}');
    expect(fromDatabase(2.5, 'real')).toBe(2.5);
  });
});

describe('encodeBlob', () => {
  it('round-trips a blob larger than one 0x8000-byte chunk', () => {
    const bytes = new Uint8Array(0x8000 * 3 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
    const encoded = encodeBlob(bytes);
    expect(encoded.$blob).toBe(Buffer.from(bytes).toString('base64'));
    const decoded = to('blob', encoded) as Uint8Array;
    expect(decoded).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(decoded).equals(Buffer.from(bytes))).toBe(true);
  });

  it('encodes a subarray view, not its whole buffer', () => {
    const whole = new Uint8Array([9, 9, 1, 2, 3, 9]);
    expect(encodeBlob(whole.subarray(2, 5))).toEqual({ $blob: 'AQID' });
  });
});

describe('parseTimestamp', () => {
  it('returns a Date for what it can read and undefined otherwise', () => {
    expect(parseTimestamp('2024-05-01 12:00:00')?.toISOString()).toBe('2024-05-01T12:00:00.000Z');
    expect(parseTimestamp('nope')).toBeUndefined();
  });
});
