import * as v from 'valibot';
import { RpcError } from '../../ipc/errors.ts';
import { validate } from '../../ipc/validate.ts';
import { requireColumn, type TableInfo } from '../catalog.ts';
import { OPERATOR_NAMES, OperatorSchema, type Where } from '../params.ts';
import { toDatabase } from '../values.ts';
import { type Bindings, type Dialect } from './dialect.ts';
import { quote } from './identifiers.ts';

const COMPARISONS = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => (OPERATOR_NAMES as readonly string[]).includes(key));
}

/**
 * Build the WHERE clause of §4 (`{col: value}`, `{col: null}`, `{col: {op: value}}`, keys
 * ANDed). Every value is bound; every column must exist. Returns '' for an empty where.
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
    if (!isOperatorObject(condition)) {
      if (typeof condition === 'object' && !('$bigint' in condition || '$blob' in condition)) {
        throw new RpcError(
          'VALIDATION_ERROR',
          `${field}: expected a value or an operator object with ${OPERATOR_NAMES.join(' ')}`,
          { field },
        );
      }
      terms.push(`${target} = ${bind(condition, field)}`);
      continue;
    }
    const ops = validate(OperatorSchema, condition, { prefix: field }) as v.InferOutput<typeof OperatorSchema>;
    for (const [op, operand] of Object.entries(ops)) {
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
