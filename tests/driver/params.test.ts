import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { InsertManyParams, InsertParams } from '../../src/driver/params.ts';
import { ErrorCode } from '../../src/ipc/errors.ts';
import { validate } from '../../src/ipc/validate.ts';
import { thrownBy } from '../helpers/rpc-error.ts';

describe('rows in params', () => {
  it('accepts a plain row as it is, without copying it', () => {
    const rows = [{ name: 'a', value: 1 }, { name: 'b', meta: { nested: [1] } }];
    const parsed = v.parse(InsertManyParams, { table_name: 't', rows });
    expect(parsed.rows[0]).toBe(rows[0]);
    expect(parsed.rows[1]).toBe(rows[1]);
  });

  it('names a key that is no identifier, in whichever row it is', () => {
    const rows: Array<Record<string, unknown>> = Array.from({ length: 100 }, (_, i) => ({ name: `r${i}` }));
    rows[42] = { name: 'ok', 'bad key': 1 };
    const error = thrownBy(() => validate(InsertManyParams, { table_name: 't', rows }, { prefix: 'params' }));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.data?.field).toBe('params.rows.42.bad key');
  });

  it('treats a row that is no plain object, or has keys the record leaves out, as the record schema always did', () => {
    const polluted = JSON.parse('{"name": "x", "__proto__": {"admin": true}}') as Record<string, unknown>;
    const parsed = v.parse(InsertParams, { table_name: 't', data: polluted });
    expect(parsed.data).toEqual({ name: 'x' });
    expect(parsed.data).not.toBe(polluted);
    class Custom {
      name = 'y';
    }
    expect(v.parse(InsertParams, { table_name: 't', data: new Custom() }).data).toEqual({ name: 'y' });
    expect(v.safeParse(InsertParams, { table_name: 't', data: 'text' }).success).toBe(false);
    expect(v.safeParse(InsertParams, { table_name: 't', data: null }).success).toBe(false);
  });
});
