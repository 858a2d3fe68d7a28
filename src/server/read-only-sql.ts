import { type SqlDialectName, tokenize } from '../driver/sql/sql-lexer.ts';
import { leadingKeyword, splitStatements } from '../driver/sql/statement-kind.ts';

/**
 * Whether raw SQL sent to `execute` only reads, for the `read` access level of POST /rpc:
 * a conservative lexical check on the driver's own lexer (in the database's dialect, so a
 * string, quoted name or comment hides exactly what it hides from the database), never a
 * parser. It is not what keeps SQL inside the database (the driver's own guards do that for
 * every caller); it keeps a read-only caller from changing data. Anything it is unsure of
 * counts as a write.
 */

/** Statements that can be reads; what follows decides. */
const READING_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'EXPLAIN']);

/** Words that make one of those write: DML in a CTE, `SELECT … INTO`, row locks, `EXPLAIN ANALYZE` (runs the statement). */
const WRITING_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'MERGE', 'UPSERT', 'INTO', 'ANALYZE', 'SHARE']);

/** Functions that change state from inside a SELECT (PostgreSQL: sequences, settings, locks, large objects, other sessions). */
const WRITING_FUNCTIONS = /^(nextval|setval|set_config|lo_\w+|pg_advisory_\w+|pg_try_advisory_\w+|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_switch_wal|pg_create_restore_point|pg_promote|pg_notify|pg_logical_emit_message|dblink\w*|load_extension)$/i;

/**
 * Why the SQL may write (`"DELETE"`, `"CREATE statement"`, `"nextval()"`), or null when
 * every statement in it only reads.
 */
export function writingPart(sql: string, dialect: SqlDialectName): string | null {
  for (const statement of splitStatements(sql, dialect)) {
    const first = leadingKeyword(statement, dialect);
    // A statement that starts with no keyword (a parenthesis, a number) is not told apart: it counts as a write.
    if (!first) return 'a statement that does not start with a keyword';
    if (!READING_STARTS.has(first)) return `${first} statement`;
  }
  const tokens = tokenize(sql, dialect);
  for (const [i, token] of tokens.entries()) {
    if (token.kind !== 'word') continue;
    const next = tokens[i + 1];
    const isCall = next?.kind === 'punct' && next.text === '(';
    if (isCall && WRITING_FUNCTIONS.test(token.text)) return `${token.text}()`;
    if (!isCall && WRITING_WORDS.has(token.text.toUpperCase())) return token.text.toUpperCase();
  }
  return null;
}
