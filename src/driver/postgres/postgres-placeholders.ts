import { RpcError } from '../../ipc/errors.ts';
import { skipQuoted } from '../sql/sql-lexer.ts';

/**
 * `execute` takes PostgreSQL's own SQL. Its parameters may also be written the way the
 * SQLite driver takes them, so one statement text serves both: `?` with an array (only when
 * the text has no `$1`-style placeholder, since `?` is also a jsonb operator) and `:name`
 * with an object (`::type` casts are left alone). Literals, quoted names, dollar-quoted
 * bodies and comments are never rewritten.
 */

/** Rewrite the placeholders outside literals: `replace` gets the text at `i` and returns [replacement, length] or undefined. */
function rewrite(sql: string, replace: (i: number) => [string, number] | undefined): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const end = skipQuoted(sql, i, 'postgres');
    if (end > i) {
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    const replaced = replace(i);
    if (replaced) {
      out += replaced[0];
      i += replaced[1];
    } else {
      out += sql[i];
      i++;
    }
  }
  return out;
}

function hasNumberedPlaceholder(sql: string): boolean {
  let found = false;
  rewrite(sql, (i) => {
    if (sql[i] === '$' && /\d/.test(sql[i + 1] ?? '')) found = true;
    return undefined;
  });
  return found;
}

/** The statement text and positional values for the server. */
export function bindPlaceholders(sql: string, params: unknown[] | Record<string, unknown> | undefined): { sql: string; values: unknown[] } {
  if (params === undefined) return { sql, values: [] };
  if (Array.isArray(params)) {
    if (hasNumberedPlaceholder(sql)) return { sql, values: params };
    let n = 0;
    const text = rewrite(sql, (i) => (sql[i] === '?' ? [`$${++n}`, 1] : undefined));
    return { sql: text, values: params };
  }
  const order: string[] = [];
  const text = rewrite(sql, (i) => {
    if (sql[i] !== ':' || sql[i - 1] === ':' || sql[i + 1] === ':') return undefined;
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))?.[0];
    if (!name) return undefined;
    if (!Object.hasOwn(params, name)) {
      throw new RpcError('VALIDATION_ERROR', `params.${name}: the statement uses :${name} but params has no "${name}"`, { field: `params.${name}` });
    }
    let index = order.indexOf(name);
    if (index < 0) index = order.push(name) - 1;
    return [`$${index + 1}`, name.length + 1];
  });
  return { sql: text, values: order.map((name) => params[name]) };
}
