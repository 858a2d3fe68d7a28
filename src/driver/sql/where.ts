import { requireColumn, type TableInfo } from '../catalog.ts';
import { type Condition, OPERATOR_NAMES, type Where, type WhereOperators } from '../params.ts';
import { toDatabase } from '../values.ts';
import { type Bindings, type Dialect } from './dialect.ts';
import { quote } from './identifiers.ts';

const COMPARISONS = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/** An operator object, as the params schema told it apart from a plain value (params.ts). */
function isOperators(condition: Condition): condition is WhereOperators {
  return typeof condition === 'object' && condition !== null && !('$bigint' in condition) && !('$blob' in condition);
}

/**
 * Build the WHERE clause of §4 (`{col: value}`, `{col: null}`, `{col: {op: value}}`, keys
 * ANDed) from a `where` the params schema already checked. Every value is bound and checked
 * against its column's type; every column must exist. Returns '' for an empty where.
 */
export function buildWhere(table: TableInfo, where: Where | undefined, dialect: Dialect, bindings: Bindings): string {
  if (!where) return '';
  const terms: string[] = [];
  for (const [name, condition] of Object.entries(where)) {
    const field = `where.${name}`;
    const column = requireColumn(table, name, field);
    const target = quote(name);
    const bind = (value: unknown, at: string) => bindings.add(toDatabase(value, column, at, dialect.bind));
    if (condition === null) {
      terms.push(`${target} IS NULL`);
      continue;
    }
    if (!isOperators(condition)) {
      terms.push(`${target} = ${bind(condition, field)}`);
      continue;
    }
    for (const op of OPERATOR_NAMES) {
      const operand = condition[op];
      if (operand === undefined) continue;
      const at = `${field}.${op}`;
      switch (op) {
        case 'eq':
        case 'ne':
          if (operand === null) terms.push(`${target} ${op === 'eq' ? 'IS NULL' : 'IS NOT NULL'}`);
          else terms.push(`${target} ${COMPARISONS[op]} ${bind(operand, at)}`);
          break;
        case 'lt':
        case 'lte':
        case 'gt':
        case 'gte':
          terms.push(`${target} ${COMPARISONS[op]} ${bind(operand, at)}`);
          break;
        case 'in':
        case 'nin': {
          // A null in the list means IS NULL: SQL's `x IN (…, NULL)` would never match it
          // and `x NOT IN (…, NULL)` would match nothing at all.
          const list = operand as unknown[];
          const withNull = list.includes(null);
          const placeholders = list.flatMap((item, i) => (item === null ? [] : [bind(item, `${at}[${i}]`)])).join(', ');
          if (op === 'in') {
            const parts = [...(placeholders ? [`${target} IN (${placeholders})`] : []), ...(withNull ? [`${target} IS NULL`] : [])];
            terms.push(parts.length === 0 ? '1 = 0' : parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`);
          } else {
            const parts = [...(placeholders ? [`${target} NOT IN (${placeholders})`] : []), ...(withNull ? [`${target} IS NOT NULL`] : [])];
            terms.push(parts.length === 0 ? '1 = 1' : parts.join(' AND '));
          }
          break;
        }
        case 'like':
          terms.push(`${target} LIKE ${bindings.add(operand)}`);
          break;
        case 'is_null':
          terms.push(`${target} ${operand ? 'IS NULL' : 'IS NOT NULL'}`);
          break;
      }
    }
  }
  return terms.length ? ` WHERE ${terms.join(' AND ')}` : '';
}
