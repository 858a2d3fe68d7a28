/**
 * A light SQL lexer for what `execute` must know before running raw SQL: how many
 * statements it holds (node:sqlite would silently run only the first) and whether it is
 * transaction control (which would take transactions away from the driver's leases).
 */

/** Where the quoted literal, identifier or comment starting at `i` ends (exclusive). */
function skipToken(sql: string, i: number): number {
  const char = sql[i];
  if (char === "'" || char === '"' || char === '`') {
    let j = i + 1;
    for (;;) {
      const end = sql.indexOf(char, j);
      if (end < 0) return sql.length;
      if (sql[end + 1] !== char) return end + 1;
      j = end + 2; // a doubled quote stands for itself
    }
  }
  if (char === '[') {
    const end = sql.indexOf(']', i);
    return end < 0 ? sql.length : end + 1;
  }
  if (sql.startsWith('--', i)) {
    const end = sql.indexOf('\n', i);
    return end < 0 ? sql.length : end + 1;
  }
  if (sql.startsWith('/*', i)) {
    const end = sql.indexOf('*/', i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  return i + 1;
}

/** The statements of a SQL text, without empty ones (SQLite skips those). */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    if (sql[i] === ';') {
      statements.push(sql.slice(start, i));
      start = i + 1;
      i++;
    } else {
      i = skipToken(sql, i);
    }
  }
  statements.push(sql.slice(start));
  return statements.filter((statement) => leadingKeyword(statement) !== '');
}

/** The first keyword of a statement, skipping white space and comments. */
export function leadingKeyword(sql: string): string {
  let i = 0;
  while (i < sql.length) {
    if (/\s/.test(sql[i]!)) i++;
    else if (sql.startsWith('--', i) || sql.startsWith('/*', i)) i = skipToken(sql, i);
    else break;
  }
  return (/^[A-Za-z]+/.exec(sql.slice(i))?.[0] ?? '').toUpperCase();
}

const TRANSACTION_CONTROL = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'START', 'ABORT']);

/** Statements that would take transaction control away from the driver's leases. */
export function isTransactionControl(statement: string): boolean {
  return TRANSACTION_CONTROL.has(leadingKeyword(statement));
}
