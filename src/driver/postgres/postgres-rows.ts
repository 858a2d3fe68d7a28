import type { TableInfo } from '../catalog.ts';
import type { DeleteInput, ExecuteInput, InsertInput, InsertManyInput, SelectInput, UpdateInput } from '../params.ts';
import { quote } from '../sql/identifiers.ts';
import { InsertPlans } from '../sql/insert-plans.ts';
import { leadingKeyword, splitStatements } from '../sql/statement-kind.ts';
import { bindRow, buildDelete, buildInsert, buildSelect, buildUpdate } from '../sql/statements.ts';
import type { ExecuteResult, Row, RowId } from '../types.ts';
import { fromDatabase, untypedToDatabase } from '../values.ts';
import { type PgQueryable, type PgResult, portableTypeOfOid, PREPARED } from './postgres-client.ts';
import type { PostgresCatalog } from './postgres-catalog.ts';
import { postgresDialect } from './postgres-dialect.ts';
import { bindPlaceholders } from './postgres-placeholders.ts';

/**
 * The row methods of §4 on one PostgreSQL connection (the pool, a transaction's reserved
 * connection, or a one-call transaction). Row ids: PostgreSQL has no rowid, so `row_id` /
 * `last_row_id` is the inserted row's key where the table has a single integer primary
 * key (read with RETURNING), and null otherwise — where SQLite would report its hidden rowid.
 */

/** The lone integer primary key column of a table, if it has one. */
function integerKey(table: TableInfo): string | undefined {
  const keys = [...table.columns.values()].filter((column) => column.primaryKey);
  return keys.length === 1 && keys[0]!.type === 'integer' ? keys[0]!.name : undefined;
}

const rowId = (value: unknown): RowId => (value === undefined ? null : (fromDatabase(value, 'integer') as RowId));

function returning(table: TableInfo): string {
  const key = integerKey(table);
  return key ? ` RETURNING ${quote(key)} AS row_id` : '';
}

const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);
const SCHEMA_STATEMENTS = new Set(['CREATE', 'DROP', 'ALTER']);
const INSERT_TARGET = /^\s*INSERT\s+INTO\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)/i;

/** Raw values for the server: bigints as text of unknown type, so the server infers their type from the statement, as for numbers. */
function rawValue(value: unknown, field: string): unknown {
  const bound = untypedToDatabase(value, field, postgresDialect.bind);
  return typeof bound === 'bigint' ? bound.toString() : bound;
}

export class PostgresRows {
  private readonly plans = new InsertPlans(postgresDialect);

  constructor(private readonly catalog: PostgresCatalog) {}

  async insert(input: InsertInput, via: PgQueryable): Promise<{ row_id: RowId }> {
    const table = await this.catalog.require(input.table_name, via);
    const statement = buildInsert(table, input.data, postgresDialect);
    const result = await via.unsafe(statement.sql + returning(table), statement.params, PREPARED);
    return { row_id: rowId(result[0]?.row_id) };
  }

  /** Every row on `via`, which the caller makes atomic; sent pipelined, answered in order. */
  async insertMany(input: InsertManyInput, via: PgQueryable): Promise<{ inserted: number; row_ids: RowId[] }> {
    const table = await this.catalog.require(input.table_name, via);
    const suffix = returning(table);
    const results = await Promise.all(
      input.rows.map((row, i) => {
        const plan = this.plans.plan(table, Object.keys(row), `rows[${i}]`);
        return via.unsafe(plan.sql + suffix, bindRow(plan, row, postgresDialect, `rows[${i}]`), PREPARED);
      }),
    );
    const row_ids = results.map((result) => rowId(result[0]?.row_id));
    return { inserted: row_ids.length, row_ids };
  }

  async update(input: UpdateInput, via: PgQueryable): Promise<{ affected_rows: number }> {
    const statement = buildUpdate(await this.catalog.require(input.table_name, via), input.where, input.data, postgresDialect);
    return { affected_rows: (await via.unsafe(statement.sql, statement.params, PREPARED)).count ?? 0 };
  }

  async delete(input: DeleteInput, via: PgQueryable): Promise<{ affected_rows: number }> {
    const statement = buildDelete(await this.catalog.require(input.table_name, via), input.where, postgresDialect);
    return { affected_rows: (await via.unsafe(statement.sql, statement.params, PREPARED)).count ?? 0 };
  }

  async select(input: SelectInput, via: PgQueryable): Promise<{ data: Row[] }> {
    const statement = buildSelect(await this.catalog.require(input.table_name, via), input, postgresDialect);
    const rows = await via.unsafe(statement.sql, statement.params, PREPARED);
    const data = rows.map((row) => {
      const out: Row = {};
      for (const column of statement.columns) out[column.name] = fromDatabase(row[column.name], column.type, column.name);
      return out;
    });
    return { data };
  }

  /** One raw statement (checked on arrival by the execute guards); rows come back under `data`. */
  async execute(input: ExecuteInput, via: PgQueryable): Promise<ExecuteResult> {
    // Without a trailing semicolon or comment, so a RETURNING clause can follow it.
    const statement = splitStatements(input.sql, 'postgres')[0] ?? input.sql;
    const params = Array.isArray(input.params)
      ? input.params.map((value, i) => rawValue(value, `params[${i}]`))
      : input.params && Object.fromEntries(Object.entries(input.params).map(([key, value]) => [key, rawValue(value, `params.${key}`)]));
    const bound = bindPlaceholders(statement, params);
    const keyed = await this.keyedInsert(bound.sql, via);
    try {
      const result = await via.unsafe(keyed ? `${bound.sql}\n${keyed}` : bound.sql, bound.values, { prepare: false });
      return this.executeResult(result, keyed !== undefined);
    } finally {
      // Raw DDL changes the schema (failed or not: it may have done part of its work).
      if (SCHEMA_STATEMENTS.has(leadingKeyword(statement, 'postgres'))) this.catalog.invalidate();
    }
  }

  /** For a raw INSERT into a table with an integer key and no RETURNING of its own: the clause that reads the key. */
  private async keyedInsert(sql: string, via: PgQueryable): Promise<string | undefined> {
    if (leadingKeyword(sql, 'postgres') !== 'INSERT' || /\bRETURNING\b/i.test(sql)) return undefined;
    const target = INSERT_TARGET.exec(sql.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, ''))?.[1];
    if (!target) return undefined;
    const name = target.startsWith('"') ? target.slice(1, -1).replaceAll('""', '"') : target.toLowerCase();
    await this.catalog.load(via);
    const table = this.catalog.table(name);
    return table && returning(table) ? `RETURNING ${quote(integerKey(table)!)} AS row_id` : undefined;
  }

  private executeResult(result: PgResult, keyed: boolean): ExecuteResult {
    const affected_rows = WRITES.has(result.command) ? (result.count ?? 0) : 0;
    if (keyed) return { affected_rows, last_row_id: rowId(result.at(-1)?.row_id) };
    const out: ExecuteResult = { affected_rows, last_row_id: null };
    if (result.columns?.length) {
      const types = result.columns.map((column) => [column.name, portableTypeOfOid(column.type)] as const);
      out.data = result.map((row) => Object.fromEntries(types.map(([name, type]) => [name, fromDatabase(row[name], type, name)])));
    }
    return out;
  }
}
