import { describe, expect, it } from 'vitest';
import { SelectParams, type Where } from '../../../src/driver/params.ts';
import { Bindings, type Dialect } from '../../../src/driver/sql/dialect.ts';
import { buildWhere } from '../../../src/driver/sql/where.ts';
import { sqliteDialect } from '../../../src/driver/sqlite/sqlite-dialect.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { validate } from '../../../src/ipc/validate.ts';
import { thrownBy } from '../../helpers/rpc-error.ts';
import { tableInfo } from '../../helpers/table-info.ts';

const items = tableInfo('items', [
  ['id', 'integer'],
  ['name', 'text'],
  ['age', 'integer'],
  ['score', 'real'],
  ['active', 'boolean'],
  ['meta', 'json'],
  ['born', 'timestamp'],
  ['photo', 'blob'],
  ['anything', null],
]);

/** A dialect with numbered placeholders, to see which bound value each placeholder takes. */
const numbered: Dialect = { ...sqliteDialect, name: 'postgres', placeholder: (index) => `$${index}`, bind: { booleans: 'native' } };

function where(condition: Where | undefined, dialect: Dialect = sqliteDialect) {
  const bindings = new Bindings(dialect);
  const sql = buildWhere(items, condition, dialect, bindings);
  return { sql, params: bindings.values };
}

describe('buildWhere', () => {
  it('returns an empty clause and binds nothing for a missing or empty where', () => {
    expect(where(undefined)).toEqual({ sql: '', params: [] });
    expect(where({})).toEqual({ sql: '', params: [] });
  });

  it('turns {col: value} into a bound equality', () => {
    expect(where({ name: 'ada' })).toEqual({ sql: ' WHERE "name" = ?', params: ['ada'] });
  });

  it('turns {col: null} into IS NULL without binding anything', () => {
    expect(where({ age: null })).toEqual({ sql: ' WHERE "age" IS NULL', params: [] });
  });

  it.each([
    ['eq', '='],
    ['ne', '<>'],
    ['lt', '<'],
    ['lte', '<='],
    ['gt', '>'],
    ['gte', '>='],
  ])('operator %s becomes %s with a bound value', (op, sqlOp) => {
    expect(where({ age: { [op]: 42 } })).toEqual({ sql: ` WHERE "age" ${sqlOp} ?`, params: [42] });
  });

  it('in / nin bind one placeholder per item', () => {
    expect(where({ age: { in: [1, 2, 3] } })).toEqual({ sql: ' WHERE "age" IN (?, ?, ?)', params: [1, 2, 3] });
    expect(where({ name: { nin: ['a', 'b'] } })).toEqual({ sql: ' WHERE "name" NOT IN (?, ?)', params: ['a', 'b'] });
  });

  it('a null inside in / nin stands for IS NULL', () => {
    expect(where({ age: { in: [1, null, 2] } })).toEqual({ sql: ' WHERE ("age" IN (?, ?) OR "age" IS NULL)', params: [1, 2] });
    expect(where({ age: { nin: [1, null] } })).toEqual({ sql: ' WHERE "age" NOT IN (?) AND "age" IS NOT NULL', params: [1] });
    expect(where({ age: { in: [null] } })).toEqual({ sql: ' WHERE "age" IS NULL', params: [] });
    expect(where({ age: { nin: [null] } })).toEqual({ sql: ' WHERE "age" IS NOT NULL', params: [] });
  });

  it('an empty in matches nothing and an empty nin matches everything', () => {
    expect(where({ age: { in: [] } })).toEqual({ sql: ' WHERE 1 = 0', params: [] });
    expect(where({ age: { nin: [] } })).toEqual({ sql: ' WHERE 1 = 1', params: [] });
  });

  it('like binds its pattern', () => {
    expect(where({ name: { like: 'a%' } })).toEqual({ sql: ' WHERE "name" LIKE ?', params: ['a%'] });
  });

  it('is_null true / false become IS NULL / IS NOT NULL', () => {
    expect(where({ age: { is_null: true } })).toEqual({ sql: ' WHERE "age" IS NULL', params: [] });
    expect(where({ age: { is_null: false } })).toEqual({ sql: ' WHERE "age" IS NOT NULL', params: [] });
  });

  it('eq null / ne null become IS NULL / IS NOT NULL rather than a comparison with NULL', () => {
    expect(where({ age: { eq: null } })).toEqual({ sql: ' WHERE "age" IS NULL', params: [] });
    expect(where({ age: { ne: null } })).toEqual({ sql: ' WHERE "age" IS NOT NULL', params: [] });
  });

  it('ANDs several keys in the order given', () => {
    expect(where({ name: 'ada', age: { gt: 30 }, score: null })).toEqual({
      sql: ' WHERE "name" = ? AND "age" > ? AND "score" IS NULL',
      params: ['ada', 30],
    });
  });

  it('ANDs several operators on one column', () => {
    expect(where({ age: { gte: 18, lt: 65 } })).toEqual({ sql: ' WHERE "age" < ? AND "age" >= ?', params: [65, 18] });
    expect(where({ name: { like: 'a%', ne: 'ab', is_null: false } })).toEqual({
      sql: ' WHERE "name" <> ? AND "name" LIKE ? AND "name" IS NOT NULL',
      params: ['ab', 'a%'],
    });
  });

  it('continues numbering after values bound earlier in the statement', () => {
    const bindings = new Bindings(numbered);
    bindings.add('already bound');
    const sql = buildWhere(items, { name: 'x', age: { in: [1, 2] }, active: true }, numbered, bindings);
    expect(sql).toBe(' WHERE "name" = $2 AND "age" IN ($3, $4) AND "active" = $5');
    expect(bindings.values).toEqual(['already bound', 'x', 1, 2, true]);
  });

  it('converts every value for its column type before binding', () => {
    expect(where({ active: true }).params).toEqual([1]);
    expect(where({ active: false }, numbered).params).toEqual([false]);
    expect(where({ born: '2024-05-01 12:00:00' }).params).toEqual(['2024-05-01T12:00:00.000Z']);
    expect(where({ born: { gte: '2024-05-01T14:00:00+02:00' } }).params).toEqual(['2024-05-01T12:00:00.000Z']);
    expect(where({ meta: { eq: { a: [1, 2] } } }).params).toEqual(['{"a":[1,2]}']);
    expect(where({ age: { $bigint: '9007199254740993' } })).toEqual({ sql: ' WHERE "age" = ?', params: [9007199254740993n] });
    expect(where({ age: { in: [{ $bigint: '-9223372036854775808' }, 7] } }).params).toEqual([-9223372036854775808n, 7]);
    expect(where({ photo: { $blob: 'AAEC/w==' } }).params).toEqual([new Uint8Array([0, 1, 2, 255])]);
    expect(where({ anything: true, score: { lt: 2.5 } }).params).toEqual([1, 2.5]);
  });

  it('never interpolates a value into the SQL text', () => {
    const evil = "'; DROP TABLE items; --";
    const { sql, params } = where({ name: evil, meta: { in: [evil] }, anything: { like: evil } });
    expect(sql).toBe(' WHERE "name" = ? AND "meta" IN (?) AND "anything" LIKE ?');
    expect(sql).not.toContain('DROP');
    expect(params).toEqual([evil, JSON.stringify(evil), evil]);
  });

  it('refuses an unknown column with VALIDATION_ERROR naming where.<column>', () => {
    const error = thrownBy(() => where({ name: 'x', nope: 1 }));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toBe('where.nope: table "items" has no column "nope"');
    expect(error.data).toEqual({ field: 'where.nope', table: 'items', column: 'nope' });
  });

  it('refuses a column name that tries to break out of its quotes', () => {
    const error = thrownBy(() => where({ 'name" = "name" OR 1=1; --': 'x' }));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.data?.field).toBe('where.name" = "name" OR 1=1; --');
  });

  // The shape of a where is the params schema's to check (once, on arrival): the builder trusts it.
  const shapeOf = (where: unknown) => thrownBy(() => validate(SelectParams, { table_name: 'items', where }, { prefix: 'params' }));

  it.each([
    ['an unknown operator', { between: [1, 2] }],
    ['known and unknown operators mixed', { eq: 1, between: [1, 2] }],
    ['an empty object', {}],
    ['an array', [1, 2]],
    ['a tagged value with more keys', { $bigint: '1', extra: true }],
  ])('the params schema refuses %s as a condition with VALIDATION_ERROR naming the column', (_label, condition) => {
    const error = shapeOf({ age: condition });
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toBe('params.where.age: expected a value or an operator object with eq ne lt lte gt gte in nin like is_null');
    expect(error.data).toMatchObject({ field: 'params.where.age' });
  });

  it('the params schema refuses an operator with an operand of the wrong shape, naming where.<column>.<op>', () => {
    expect(shapeOf({ name: { like: 5 } }).data?.field).toBe('params.where.name.like');
    expect(shapeOf({ age: { in: 5 } }).data?.field).toBe('params.where.age.in');
    expect(shapeOf({ age: { is_null: 'yes' } }).data?.field).toBe('params.where.age.is_null');
    expect(validate(SelectParams, { table_name: 'items', where: { meta: { eq: { a: [1] } }, age: null, photo: { $blob: 'AA==' } } }).where).toEqual({
      meta: { eq: { a: [1] } },
      age: null,
      photo: { $blob: 'AA==' },
    });
  });

  it('refuses a value of the wrong type for the column, naming the exact place', () => {
    const plain = thrownBy(() => where({ age: 'old' }));
    expect(plain.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(plain.message).toBe('where.age: expected an integer, got a string "old"');
    const op = thrownBy(() => where({ age: { gt: 1.5 } }));
    expect(op.data?.field).toBe('where.age.gt');
    const item = thrownBy(() => where({ age: { nin: [1, 'two'] } }));
    expect(item.data?.field).toBe('where.age.nin[1]');
    const object = thrownBy(() => where({ anything: { eq: { x: 1 } } }));
    expect(object.data?.field).toBe('where.anything.eq');
  });
});
