import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ErrorCode, type ErrorCodeName, errorCodeName, RpcError } from '../../src/ipc/errors.ts';
import { RequestSchema } from '../../src/ipc/messages.ts';
import { validate } from '../../src/ipc/validate.ts';
import { thrownBy } from '../helpers/rpc-error.ts';

describe('ErrorCode', () => {
  it('keeps the numeric codes of the protocol (DESIGN §3)', () => {
    expect(ErrorCode).toEqual({
      INVALID_REQUEST: 1,
      DATABASE_ERROR: 2,
      NOT_FOUND: 3,
      VALIDATION_ERROR: 4,
      PERMISSION_DENIED: 5,
      TIMEOUT: 6,
      INTERNAL_ERROR: 7,
      TRANSACTION_ERROR: 8,
      SCHEMA_ERROR: 9,
      CONNECTION_ERROR: 10,
      QUEUE_FULL: 11,
      SHUTTING_DOWN: 12,
    });
  });

  it('errorCodeName maps every code back to its name, and unknown codes to undefined', () => {
    for (const [name, code] of Object.entries(ErrorCode)) expect(errorCodeName(code)).toBe(name);
    expect(errorCodeName(0)).toBeUndefined();
    expect(errorCodeName(13)).toBeUndefined();
    expect(errorCodeName(-32600)).toBeUndefined();
  });
});

describe('RpcError', () => {
  it('carries the numeric code, its name, the message and data', () => {
    const error = new RpcError('NOT_FOUND', 'no such table: t', { table: 't' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RpcError');
    expect(error.code).toBe(3);
    expect(error.codeName).toBe('NOT_FOUND');
    expect(error.message).toBe('no such table: t');
    expect(error.data).toEqual({ table: 't' });
  });

  it('keeps a cause', () => {
    const cause = new Error('disk I/O error');
    const error = new RpcError('DATABASE_ERROR', 'write failed', undefined, { cause });
    expect(error.cause).toBe(cause);
  });

  it('is() compares against a code name', () => {
    const error = new RpcError('QUEUE_FULL', 'full');
    expect(error.is('QUEUE_FULL')).toBe(true);
    expect(error.is('TIMEOUT')).toBe(false);
    expect(error.is('INTERNAL_ERROR')).toBe(false);
  });

  it('toJSON omits data when there is none', () => {
    const error = new RpcError('TIMEOUT', 'too slow');
    expect(error.toJSON()).toEqual({ code: 6, message: 'too slow' });
    expect('data' in error.toJSON()).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: 6, message: 'too slow' });
  });

  it('toJSON includes data when present', () => {
    const error = new RpcError('VALIDATION_ERROR', 'bad', { field: 'params.x' });
    expect(error.toJSON()).toEqual({ code: 4, message: 'bad', data: { field: 'params.x' } });
  });

  describe('fromWire', () => {
    it('rebuilds a known code with its message and data', () => {
      const error = RpcError.fromWire({ code: 8, message: 'not yours', data: { transaction_id: 'tx1' } });
      expect(error).toBeInstanceOf(RpcError);
      expect(error.codeName).toBe('TRANSACTION_ERROR');
      expect(error.code).toBe(ErrorCode.TRANSACTION_ERROR);
      expect(error.message).toBe('not yours');
      expect(error.data).toEqual({ transaction_id: 'tx1' });
    });

    it('round-trips toJSON for every code', () => {
      for (const name of Object.keys(ErrorCode) as ErrorCodeName[]) {
        const original = new RpcError(name, `m-${name}`, { n: 1 });
        const rebuilt = RpcError.fromWire(JSON.parse(JSON.stringify(original)));
        expect(rebuilt.code).toBe(original.code);
        expect(rebuilt.codeName).toBe(name);
        expect(rebuilt.toJSON()).toEqual(original.toJSON());
      }
    });

    it('turns an unknown code into INTERNAL_ERROR', () => {
      const error = RpcError.fromWire({ code: 999, message: 'mystery' });
      expect(error.code).toBe(ErrorCode.INTERNAL_ERROR);
      expect(error.is('INTERNAL_ERROR')).toBe(true);
      expect(error.message).toBe('mystery');
      expect(error.data).toBeUndefined();
    });

    it('wraps non-object data under "value"', () => {
      expect(RpcError.fromWire({ code: 2, message: 'm', data: 'SQLITE_BUSY' }).data).toEqual({ value: 'SQLITE_BUSY' });
      expect(RpcError.fromWire({ code: 2, message: 'm', data: [1, 2] }).data).toEqual({ value: [1, 2] });
      expect(RpcError.fromWire({ code: 2, message: 'm', data: null }).data).toEqual({ value: null });
      expect(RpcError.fromWire({ code: 2, message: 'm', data: 0 }).data).toEqual({ value: 0 });
    });
  });

  describe('from', () => {
    it('returns an RpcError unchanged', () => {
      const original = new RpcError('SCHEMA_ERROR', 'x');
      expect(RpcError.from(original)).toBe(original);
    });

    it('turns a plain Error into INTERNAL_ERROR keeping the message and cause', () => {
      const plain = new TypeError('undefined is not a function');
      const error = RpcError.from(plain);
      expect(error.code).toBe(ErrorCode.INTERNAL_ERROR);
      expect(error.message).toBe('undefined is not a function');
      expect(error.cause).toBe(plain);
      expect(error.data).toBeUndefined();
    });

    it('turns a thrown non-Error value into INTERNAL_ERROR with its string form', () => {
      expect(RpcError.from('boom').message).toBe('boom');
      expect(RpcError.from(42).message).toBe('42');
      expect(RpcError.from(undefined).is('INTERNAL_ERROR')).toBe(true);
      expect(RpcError.from({ toString: () => 'custom' }).message).toBe('custom');
    });
  });
});

describe('validate', () => {
  const Person = v.object({
    name: v.string(),
    where: v.object({ age: v.number() }),
    tags: v.optional(v.array(v.string())),
  });

  it('returns the parsed output on success', () => {
    const value = { name: 'ada', where: { age: 36 }, tags: ['x'] };
    expect(validate(Person, value)).toEqual(value);
  });

  it('applies transformations of the schema', () => {
    const Trimmed = v.pipe(v.string(), v.trim());
    expect(validate(Trimmed, '  hi  ')).toBe('hi');
  });

  it('names the nested field path with the prefix in the message and data', () => {
    const error = thrownBy(() => validate(Person, { name: 'ada', where: { age: 'old' } }, { prefix: 'params' }));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message.startsWith('params.where.age: ')).toBe(true);
    expect(error.data?.field).toBe('params.where.age');
    expect(error.data?.issues).toEqual([{ field: 'params.where.age', message: expect.any(String) }]);
  });

  it('names an array element by its index', () => {
    const error = thrownBy(() => validate(Person, { name: 'a', where: { age: 1 }, tags: ['ok', 5] }, { prefix: 'params' }));
    expect(error.data?.field).toBe('params.tags.1');
  });

  it('names the field without a prefix', () => {
    const error = thrownBy(() => validate(Person, { name: 1, where: { age: 1 } }));
    expect(error.data?.field).toBe('name');
    expect(error.message.startsWith('name: ')).toBe(true);
  });

  it('uses the prefix alone when the root value is wrong', () => {
    const error = thrownBy(() => validate(Person, 'not an object', { prefix: 'params' }));
    expect(error.data?.field).toBe('params');
    expect(error.message.startsWith('params: ')).toBe(true);
  });

  it('uses the bare issue message when neither a path nor a prefix exists', () => {
    const error = thrownBy(() => validate(v.string('must be text'), 5));
    expect(error.message).toBe('must be text');
    expect(error.data?.field).toBe('');
  });

  it('uses the given error code', () => {
    const error = thrownBy(() => validate(RequestSchema, { jsonrpc: '1.0', id: 1, method: 'ping' }, { code: 'INVALID_REQUEST' }));
    expect(error.is('INVALID_REQUEST')).toBe(true);
    expect(error.data?.field).toBe('jsonrpc');
    expect(error.message).toBe('jsonrpc: jsonrpc must be "2.0"');
  });

  it('reports at most five issues, each with its field', () => {
    const Many = v.object(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, v.number()])));
    const error = thrownBy(() => validate(Many, {}, { prefix: 'p' }));
    const issues = error.data?.issues as Array<{ field: string }>;
    expect(issues).toHaveLength(5);
    expect(issues.map((issue) => issue.field)).toEqual(['p.f0', 'p.f1', 'p.f2', 'p.f3', 'p.f4']);
    expect(error.data?.field).toBe('p.f0');
  });

  it('names up to three offending fields in the message', () => {
    const Many = v.object(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, v.number()])));
    const error = thrownBy(() => validate(Many, {}, { prefix: 'p' }));
    expect(error.message).toBe('p.f0: is required; p.f1: is required; p.f2: is required');
  });

  it('says "is required" for a missing field and "unknown field" for an extra one', () => {
    const Strict = v.strictObject({ table_name: v.string() });
    const missing = thrownBy(() => validate(Strict, {}, { prefix: 'params' }));
    expect(missing.message).toBe('params.table_name: is required');
    const extra = thrownBy(() => validate(Strict, { table_name: 't', tabel_name: 't' }, { prefix: 'params' }));
    expect(extra.data?.field).toBe('params.tabel_name');
    expect(extra.message).toBe('params.tabel_name: unknown field');
  });

  it('keeps the schema message for a value of the wrong type', () => {
    const error = thrownBy(() => validate(v.object({ n: v.number('n must be a number') }), { n: 'x' }));
    expect(error.message).toBe('n: n must be a number');
  });
});
