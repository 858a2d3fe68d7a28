import { leadingKeyword, splitStatements } from '../driver/sql/statement-kind.ts';

/**
 * Whether raw SQL sent to `execute` only reads, for the `read` access level of POST /rpc:
 * a conservative lexical check, never a parser. It is not what keeps SQL inside the
 * database (the driver's own guards do that for every caller); it keeps a read-only
 * caller from changing data. Anything it is unsure of counts as a write.
 */

/** Statements that can be reads; what follows decides. */
const READING_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'EXPLAIN']);

/** Words that make one of those write: DML in a CTE, `SELECT … INTO`, row locks, `EXPLAIN ANALYZE` (runs the statement). */
const WRITING_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'MERGE', 'UPSERT', 'INTO', 'ANALYZE', 'SHARE']);

/** Functions that change state from inside a SELECT (PostgreSQL: sequences, settings, locks, large objects, other sessions). */
const WRITING_FUNCTIONS = /^(nextval|setval|set_config|lo_\w+|pg_advisory_\w+|pg_try_advisory_\w+|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_switch_wal|pg_create_restore_point|pg_promote|pg_notify|pg_logical_emit_message|dblink\w*|load_extension)$/i;

/** String literals, quoted identifiers, comments and PostgreSQL dollar quotes: their text is never a keyword. */
const QUOTED = /'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|\$([A-Za-z_]\w*)?\$[\s\S]*?(?:\$\1\$|$)/g;

const WORD = /[A-Za-z_][\w$]*/g;

/**
 * Why the SQL may write (`"DELETE"`, `"CREATE statement"`, `"nextval()"`), or null when
 * every statement in it only reads.
 */
export function writingPart(sql: string): string | null {
  for (const statement of splitStatements(sql)) {
    const first = leadingKeyword(statement);
    // A statement that starts with no keyword (a parenthesis, a number) is not told apart: it counts as a write.
    if (!first) return 'a statement that does not start with a keyword';
    if (!READING_STARTS.has(first)) return `${first} statement`;
  }
  // The whole text, not statement by statement: what does not start with a keyword is looked at too.
  const bare = sql.replace(QUOTED, ' ');
  for (const match of bare.matchAll(WORD)) {
    const word = match[0];
    const isCall = /^\s*\(/.test(bare.slice(match.index + word.length));
    if (isCall && WRITING_FUNCTIONS.test(word)) return `${word}()`;
    if (!isCall && WRITING_WORDS.has(word.toUpperCase())) return word.toUpperCase();
  }
  return null;
}
