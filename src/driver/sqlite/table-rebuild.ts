import { RpcError } from '../../ipc/errors.ts';
import { createTableSql } from '../sql/ddl.ts';
import { quote } from '../sql/identifiers.ts';
import type { TableDefinition } from '../table-schema.ts';
import type { SqliteEngine } from './engine.ts';
import type { LiveTable } from './live-table.ts';
import { definedNotNull, hasRowidAlias } from './schema-diff.ts';
import { sqliteDialect } from './sqlite-dialect.ts';

/**
 * Steps 4–8 of SQLite's procedure for schema changes ALTER TABLE cannot make
 * (https://www.sqlite.org/lang_altertable.html#otheralter): create the new table under a
 * temporary name, copy the surviving columns, drop the old table, rename the new one and
 * remake the old one's triggers. The caller owns steps 1–3 and 9–12 (foreign keys off, the
 * transaction, the foreign key check) and recreates the indexes from the definition.
 */

function hasRows(engine: SqliteEngine, sql: string): boolean {
  const [row] = engine.all(`SELECT EXISTS (${sql}) AS found`) as Array<{ found: bigint }>;
  return row!.found > 0n;
}

/**
 * Refuse, before anything changes (dry runs too), a rebuild whose copy must fail: a new
 * NOT NULL column without a default, or NOT NULL on a column holding NULL, on rows that exist.
 */
function checkRowsFit(engine: SqliteEngine, table: TableDefinition, live: LiveTable): void {
  const from = quote(live.name);
  const rowidAlias = hasRowidAlias(table);
  for (const column of table.columns) {
    // The rowid alias numbers itself; every other NOT NULL column needs a value per row.
    if (!definedNotNull(column) || (rowidAlias && column.primary_key)) continue;
    const current = live.columns.get(column.name.toLowerCase());
    const where = { table: table.name, column: column.name };
    if (!current) {
      if (column.default !== undefined && column.default !== null) continue;
      if (hasRows(engine, `SELECT 1 FROM ${from}`)) {
        throw new RpcError('SCHEMA_ERROR', `cannot add column ${table.name}.${column.name}: it is NOT NULL without a default and the table has rows`, where);
      }
    } else if (!current.notNull && hasRows(engine, `SELECT 1 FROM ${from} WHERE ${quote(current.name)} IS NULL`)) {
      throw new RpcError('SCHEMA_ERROR', `cannot make ${table.name}.${column.name} NOT NULL: some rows hold NULL there`, where);
    }
  }
}

/** The statements that rebuild `live` as `table`, after checking its rows can be carried over. */
export function rebuildTableStatements(engine: SqliteEngine, table: TableDefinition, live: LiveTable): string[] {
  checkRowsFit(engine, table, live);
  const temporary = `_code_analysis_rebuild_${table.name}`;
  const survivors = table.columns.filter((column) => live.columns.has(column.name.toLowerCase()));
  const targets = survivors.map((column) => quote(column.name));
  const sources = survivors.map((column) => quote(live.columns.get(column.name.toLowerCase())!.name));
  // Without an INTEGER key the rowid is what `insert` answered as row_id: keep it.
  if (!live.withoutRowid && !hasRowidAlias(table)) {
    targets.unshift('rowid');
    sources.unshift('rowid');
  }
  const copy = targets.length
    ? [`INSERT INTO ${quote(temporary)} (${targets.join(', ')}) SELECT ${sources.join(', ')} FROM ${quote(live.name)}`]
    : [];
  if (!copy.length && hasRows(engine, `SELECT 1 FROM ${quote(live.name)}`)) {
    throw new RpcError('SCHEMA_ERROR', `cannot rebuild table "${table.name}": none of its columns survive to carry its rows over`, { table: table.name });
  }
  return [
    createTableSql(table, sqliteDialect, { name: temporary }),
    ...copy,
    `DROP TABLE ${quote(live.name)}`,
    `ALTER TABLE ${quote(temporary)} RENAME TO ${quote(table.name)}`,
    ...live.triggers,
  ];
}
