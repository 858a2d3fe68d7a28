import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildDelete, buildInsert, buildSelect, buildUpdate } from '../../../src/driver/sql/statements.ts';
import type { Dialect } from '../../../src/driver/sql/dialect.ts';
import { sqliteDialect } from '../../../src/driver/sqlite/sqlite-dialect.ts';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { deferCleanup } from '../../helpers/cleanup.ts';
import { thrownBy } from '../../helpers/rpc-error.ts';
import { tableInfo } from '../../helpers/table-info.ts';
import { makeTempDir } from '../../helpers/temp-dir.ts';

const items = tableInfo('items', [
  ['id', 'integer'],
  ['name', 'text'],
  ['age', 'integer'],
  ['active', 'boolean'],
  ['meta', 'json'],
]);

const numbered: Dialect = { ...sqliteDialect, name: 'postgres', placeholder: (index) => `$${index}` };
const asc = (column: string) => ({ column, direction: 'ASC' as const });
const desc = (column: string) => ({ column, direction: 'DESC' as const });

describe('buildSelect', () => {
  it('selects every column of the table, quoted, in table order', () => {
    const statement = buildSelect(items, {}, sqliteDialect);
    expect(statement.sql).toBe('SELECT "id", "name", "age", "active", "meta" FROM "items"');
    expect(statement.params).toEqual([]);
    expect(statement.columns.map((column) => column.name)).toEqual(['id', 'name', 'age', 'active', 'meta']);
  });

  it('selects the requested columns in the requested order and returns their infos', () => {
    const statement = buildSelect(items, { columns: ['meta', 'id'] }, sqliteDialect);
    expect(statement.sql).toBe('SELECT "meta", "id" FROM "items"');
    expect(statement.columns).toEqual([items.columns.get('meta'), items.columns.get('id')]);
  });

  it('puts where, order_by, limit and offset in that order with bound values', () => {
    const statement = buildSelect(
      items,
      { columns: ['name'], where: { age: { gt: 18 }, active: true }, order_by: [asc('name'), desc('age')], limit: 10, offset: 20 },
      sqliteDialect,
    );
    expect(statement.sql).toBe('SELECT "name" FROM "items" WHERE "age" > ? AND "active" = ? ORDER BY "name" ASC, "age" DESC LIMIT ? OFFSET ?');
    expect(statement.params).toEqual([18, 1, 10, 20]);
  });

  it('numbers limit and offset after the where values', () => {
    const statement = buildSelect(items, { columns: ['id'], where: { name: 'x' }, limit: 5, offset: 0 }, numbered);
    expect(statement.sql).toBe('SELECT "id" FROM "items" WHERE "name" = $1 LIMIT $2 OFFSET $3');
    expect(statement.params).toEqual(['x', 5, 0]);
  });

  it('binds LIMIT -1 when only an offset is given (SQLite needs a LIMIT before OFFSET)', () => {
    const statement = buildSelect(items, { columns: ['id'], offset: 5 }, sqliteDialect);
    expect(statement.sql).toBe('SELECT "id" FROM "items" LIMIT ? OFFSET ?');
    expect(statement.params).toEqual([-1, 5]);
  });

  it('binds a limit of 0 and leaves out an empty order_by', () => {
    const statement = buildSelect(items, { columns: ['id'], limit: 0, order_by: [] }, sqliteDialect);
    expect(statement.sql).toBe('SELECT "id" FROM "items" LIMIT ?');
    expect(statement.params).toEqual([0]);
  });

  it('refuses an unknown column in columns, naming columns[i]', () => {
    const error = thrownBy(() => buildSelect(items, { columns: ['id', 'nope'] }, sqliteDialect));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toBe('columns[1]: table "items" has no column "nope"');
    expect(error.data).toMatchObject({ field: 'columns[1]', column: 'nope' });
  });

  it('refuses an unknown column in order_by, naming order_by[i]', () => {
    const error = thrownBy(() => buildSelect(items, { order_by: [desc('nope')] }, sqliteDialect));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toBe('order_by[0]: table "items" has no column "nope"');
    expect(error.data?.field).toBe('order_by[0]');
  });

  it('refuses an unknown column in where, naming where.<column>', () => {
    const error = thrownBy(() => buildSelect(items, { where: { nope: 1 } }, sqliteDialect));
    expect(error.data?.field).toBe('where.nope');
  });
});

describe('buildInsert', () => {
  it('lists the given columns and binds their converted values', () => {
    const statement = buildInsert(items, { name: 'ada', active: false, meta: { a: 1 } }, sqliteDialect);
    expect(statement).toEqual({ sql: 'INSERT INTO "items" ("name", "active", "meta") VALUES (?, ?, ?)', params: ['ada', 0, '{"a":1}'] });
  });

  it('numbers placeholders in column order', () => {
    expect(buildInsert(items, { id: 1, name: 'b' }, numbered).sql).toBe('INSERT INTO "items" ("id", "name") VALUES ($1, $2)');
  });

  it('uses DEFAULT VALUES for an empty row', () => {
    expect(buildInsert(items, {}, sqliteDialect)).toEqual({ sql: 'INSERT INTO "items" DEFAULT VALUES', params: [] });
  });

  it('refuses an unknown column, naming data.<column> or the given field', () => {
    const data = thrownBy(() => buildInsert(items, { name: 'x', nope: 1 }, sqliteDialect));
    expect(data.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(data.message).toBe('data.nope: table "items" has no column "nope"');
    expect(data.data?.field).toBe('data.nope');
    const row = thrownBy(() => buildInsert(items, { nope: 1 }, sqliteDialect, 'rows[2]'));
    expect(row.data?.field).toBe('rows[2].nope');
  });

  it('refuses a value of the wrong type, naming data.<column>', () => {
    const error = thrownBy(() => buildInsert(items, { age: 'old' }, sqliteDialect));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.message).toBe('data.age: expected an integer, got a string "old"');
  });

  it('keeps hostile values out of the SQL text', () => {
    const evil = "x'); DROP TABLE items; --";
    const statement = buildInsert(items, { name: evil }, sqliteDialect);
    expect(statement.sql).toBe('INSERT INTO "items" ("name") VALUES (?)');
    expect(statement.params).toEqual([evil]);
  });
});

describe('buildUpdate', () => {
  it('binds the assignments first, then the where values', () => {
    const statement = buildUpdate(items, { id: 3 }, { name: 'x', active: true }, sqliteDialect);
    expect(statement).toEqual({ sql: 'UPDATE "items" SET "name" = ?, "active" = ? WHERE "id" = ?', params: ['x', 1, 3] });
    expect(buildUpdate(items, { id: { in: [1, 2] } }, { name: 'y' }, numbered).sql).toBe(
      'UPDATE "items" SET "name" = $1 WHERE "id" IN ($2, $3)',
    );
  });

  it('sets a column to NULL with a bound null', () => {
    expect(buildUpdate(items, { id: 1 }, { meta: null }, sqliteDialect)).toEqual({
      sql: 'UPDATE "items" SET "meta" = ? WHERE "id" = ?',
      params: [null, 1],
    });
  });

  it('refuses unknown columns in data and in where', () => {
    expect(thrownBy(() => buildUpdate(items, { id: 1 }, { nope: 1 }, sqliteDialect)).data?.field).toBe('data.nope');
    expect(thrownBy(() => buildUpdate(items, { nope: 1 }, { name: 'x' }, sqliteDialect)).data?.field).toBe('where.nope');
  });
});

describe('buildDelete', () => {
  it('deletes with a bound where', () => {
    expect(buildDelete(items, { name: { like: 'a%' }, age: null }, sqliteDialect)).toEqual({
      sql: 'DELETE FROM "items" WHERE "name" LIKE ? AND "age" IS NULL',
      params: ['a%'],
    });
  });

  it('refuses an unknown where column', () => {
    const error = thrownBy(() => buildDelete(items, { nope: 1 }, sqliteDialect));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.data?.field).toBe('where.nope');
  });
});

describe('the built statements against a real SQLite database', () => {
  it('run as valid SQL and do what they say', async () => {
    const db = new Database(join(await makeTempDir(), 'statements.db'));
    deferCleanup(() => db.close());
    db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, age INTEGER, active BOOLEAN, meta JSON)');
    const run = (statement: { sql: string; params: unknown[] }) => db.prepare(statement.sql).run(...statement.params);
    const evil = "'; DROP TABLE items; --";
    run(buildInsert(items, { name: 'ada', age: 36, active: true }, sqliteDialect));
    run(buildInsert(items, { name: evil, age: 20, meta: [1] }, sqliteDialect));
    run(buildInsert(items, {}, sqliteDialect));
    expect(run(buildUpdate(items, { age: { gte: 20 } }, { active: false }, sqliteDialect)).changes).toBe(2);
    const select = buildSelect(items, { columns: ['name', 'active', 'meta'], where: { age: { is_null: false } }, order_by: [desc('age')], offset: 1 }, sqliteDialect);
    expect(db.prepare(select.sql).all(...select.params)).toEqual([{ name: evil, active: 0, meta: '[1]' }]);
    const byEvil = buildSelect(items, { columns: ['id'], where: { name: evil } }, sqliteDialect);
    expect(db.prepare(byEvil.sql).all(...byEvil.params)).toEqual([{ id: 2 }]);
    expect(run(buildDelete(items, { name: { in: [] } }, sqliteDialect)).changes).toBe(0);
    expect(run(buildDelete(items, { name: null }, sqliteDialect)).changes).toBe(1);
    const rest = buildSelect(items, { columns: ['id'], order_by: [asc('id')] }, sqliteDialect);
    expect(db.prepare(rest.sql).all(...rest.params)).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
