import { type SqlDialectName, type SqlToken, tokenize } from './sql-lexer.ts';
import { isReadPragma } from './sqlite-pragmas.ts';

/**
 * What `execute` must know of raw SQL before running it: how many statements it holds
 * (node:sqlite would silently run only the first), whether it is transaction control
 * (which would take transactions away from the driver's leases), and whether it only
 * reads (then it may run on a read-only connection, and `server.rpc: "read"` allows it).
 */

/**
 * The statements of a SQL text, without empty ones (SQLite skips those). A SQLite
 * `CREATE TRIGGER … BEGIN …; …; END` is one statement: as in sqlite3_complete(), its
 * semicolons separate only after the `; END` that closes its body.
 */
export function splitStatements(sql: string, dialect: SqlDialectName = 'sqlite'): string[] {
  const statements: string[] = [];
  let start = 0;
  let current: SqlToken[] = [];
  for (const token of tokenize(sql, dialect)) {
    if (token.text === ';' && token.kind === 'punct' && !insideTriggerBody(current, dialect)) {
      if (current.length > 0) statements.push(sql.slice(start, token.start));
      start = token.start + 1;
      current = [];
    } else current.push(token);
  }
  if (current.length > 0) statements.push(sql.slice(start));
  return statements;
}

function insideTriggerBody(tokens: SqlToken[], dialect: SqlDialectName): boolean {
  if (dialect !== 'sqlite' || firstWord(tokens) !== 'CREATE') return false;
  if (!tokens.slice(1, 3).some((token) => token.kind === 'word' && token.text.toUpperCase() === 'TRIGGER')) return false;
  const [before, last] = tokens.slice(-2);
  return !(last?.kind === 'word' && last.text.toUpperCase() === 'END' && before?.text === ';' && before.kind === 'punct');
}

function firstWord(tokens: SqlToken[]): string {
  const first = tokens[0];
  return first?.kind === 'word' ? first.text.toUpperCase() : '';
}

/** The first keyword of a statement, skipping white space and comments. */
export function leadingKeyword(sql: string, dialect: SqlDialectName = 'sqlite'): string {
  return firstWord(tokenize(sql, dialect));
}

export const TRANSACTION_CONTROL: ReadonlySet<string> = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'START', 'ABORT']);

/** Statements that would take transaction control away from the driver's leases. */
export function isTransactionControl(statement: string, dialect: SqlDialectName = 'sqlite'): boolean {
  return TRANSACTION_CONTROL.has(leadingKeyword(statement, dialect));
}

/** Words that make a statement starting like a query change something. */
const WRITING_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'MERGE', 'INTO', 'UPSERT']);
const QUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'EXPLAIN', 'SHOW']);

/**
 * Whether a statement only reads: a query (SELECT, WITH, VALUES, TABLE, EXPLAIN without
 * ANALYZE, SHOW) holding no INSERT, UPDATE, DELETE, REPLACE, MERGE or INTO anywhere (a
 * writing CTE, `SELECT … INTO`, `FOR UPDATE` are not reads). Conservative: a name spelt like
 * one of those words makes a read count as a write, never the other way round. A PRAGMA
 * reads when it is a report or a setting read by its bare name (sqlite-pragmas.ts).
 */
export function isReadOnlyStatement(statement: string, dialect: SqlDialectName = 'sqlite'): boolean {
  return isReadOnlyTokens(tokenize(statement, dialect));
}

export function isReadOnlyTokens(tokens: SqlToken[]): boolean {
  const first = firstWord(tokens);
  if (first === 'PRAGMA') return isReadPragma(tokens);
  if (!QUERY_STARTS.has(first)) return false;
  for (const token of tokens) {
    if (token.kind !== 'word') continue;
    const word = token.text.toUpperCase();
    if (WRITING_WORDS.has(word) || (first === 'EXPLAIN' && word === 'ANALYZE')) return false;
  }
  return true;
}
