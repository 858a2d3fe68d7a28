import { RpcError } from '../../ipc/errors.ts';
import { META_TABLE } from '../meta-table.ts';
import { metaRefusal, type ProtectedTables, protectedRefusal } from '../protection.ts';
import { type SqlDialectName, type SqlToken, tokenize } from './sql-lexer.ts';
import { isReadOnlyTokens, splitStatements, TRANSACTION_CONTROL } from './statement-kind.ts';
import { isReadPragma, pragmaName } from './sqlite-pragmas.ts';

/**
 * What raw SQL (`execute`) may do, checked once before it is queued (TEAM decision 3):
 * exactly one statement, no transaction control, nothing that reaches past the database
 * (ATTACH, VACUUM INTO, files and programs of the server), nothing that changes the
 * driver's durability, locking or session settings under it — for every caller — and no
 * change to a protected table unless the caller is the owner.
 */

export interface ExecuteCaller {
  /** The connection said `hello {role: "owner"}`. */
  owner: boolean;
  protectedTables: ProtectedTables;
}

export interface CheckedStatement {
  /** The statement only reads: it may run on a read-only connection. */
  readOnly: boolean;
}

const refuse = (field: string, message: string) => new RpcError('PERMISSION_DENIED', `${field}: ${message}`, { field });

const upper = (token: SqlToken | undefined) => (token?.kind === 'word' ? token.text.toUpperCase() : '');

/** Names of functions called in the statement (a name followed by `(`), lower case. */
function calledFunctions(tokens: SqlToken[]): string[] {
  const names: string[] = [];
  tokens.forEach((token, i) => {
    if (token.kind !== 'punct' && tokens[i + 1]?.text === '(' && tokens[i + 1]?.kind === 'punct') names.push(token.text.toLowerCase());
  });
  return names;
}

function guardSqlite(tokens: SqlToken[], field: string): void {
  const first = upper(tokens[0]);
  if (first === 'ATTACH' || first === 'DETACH') throw refuse(field, `${first} is refused: the driver serves its own database file only`);
  if (first === 'VACUUM' && tokens.some((token) => upper(token) === 'INTO')) {
    throw refuse(field, 'VACUUM INTO is refused: it writes a copy of the database outside it; use the backup method');
  }
  if (first === 'PRAGMA' && !isReadPragma(tokens)) {
    throw refuse(field, `PRAGMA ${pragmaName(tokens) ?? ''} is refused: raw SQL may only read settings and reports (table_info, index_list, integrity_check…); the driver owns durability and locking`);
  }
  if (calledFunctions(tokens).includes('load_extension')) throw refuse(field, 'load_extension() is refused');
}

/** PostgreSQL settings that trade durability for speed: the driver's to set, nobody else's. */
const DURABILITY_SETTINGS = new Set(['synchronous_commit', 'fsync', 'full_page_writes', 'wal_sync_method', 'commit_delay', 'commit_siblings', 'wal_level']);

/** Server-side functions that reach files, programs, settings or other sessions. */
const SERVER_FUNCTIONS = new Set([
  'pg_read_file',
  'pg_read_binary_file',
  'pg_stat_file',
  'pg_ls_dir',
  'pg_ls_logdir',
  'pg_ls_waldir',
  'pg_ls_tmpdir',
  'pg_ls_archive_statusdir',
  'pg_file_write',
  'pg_file_rename',
  'pg_file_unlink',
  'lo_import',
  'lo_export',
  'set_config',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_promote',
  'dblink',
  'dblink_exec',
  'dblink_connect',
  'dblink_connect_u',
]);

function guardPostgres(tokens: SqlToken[], field: string): void {
  const words = tokens.map(upper);
  const [first, second, third] = words;
  if (first === 'COPY') throw refuse(field, 'COPY is refused: it reads and writes files and programs of the server; use select and insert_many');
  if (first === 'ALTER' && second === 'SYSTEM') throw refuse(field, 'ALTER SYSTEM is refused: the server configuration is not the driver\'s to change');
  if (first === 'LOAD') throw refuse(field, 'LOAD is refused: it loads a library into the server');
  if ((first === 'CREATE' || first === 'ALTER') && second === 'EXTENSION') throw refuse(field, 'extensions are refused: they load code into the server');
  if (first === 'CREATE') {
    const routine = words.findIndex((word) => word === 'FUNCTION' || word === 'PROCEDURE');
    const language = words.indexOf('LANGUAGE');
    if (language > 0 && (routine < 0 || routine > language)) throw refuse(field, 'CREATE LANGUAGE is refused: it loads code into the server');
    if (language > 0 && ['C', 'INTERNAL'].includes(words[language + 1] ?? '')) {
      throw refuse(field, `functions in LANGUAGE ${words[language + 1]} are refused: they load code into the server`);
    }
    if (second === 'SERVER' || words.slice(1, 4).includes('WRAPPER')) throw refuse(field, 'foreign servers and data wrappers are refused: they reach past the database');
  }
  if (first === 'IMPORT') throw refuse(field, 'IMPORT FOREIGN SCHEMA is refused: it reaches past the database');
  if (first === 'RESET') throw refuse(field, 'RESET is refused: the settings of the driver\'s pooled connections are the driver\'s');
  if (first === 'SET') {
    // SET TRANSACTION / SET CONSTRAINTS end with the transaction; SET LOCAL too, but not a durability setting.
    const transactional = second === 'TRANSACTION' || second === 'CONSTRAINTS';
    if (!transactional && second !== 'LOCAL') {
      throw refuse(field, 'SET is refused: it would change a pooled connection for every later request; use SET LOCAL inside a transaction');
    }
    const name = (tokens[2]?.text ?? '').toLowerCase();
    if (second === 'LOCAL' && (DURABILITY_SETTINGS.has(name) || third === 'ROLE' || third === 'SESSION')) {
      throw refuse(field, `SET LOCAL ${tokens[2]?.text ?? ''} is refused: durability and privileges are the driver's`);
    }
  }
  const server = calledFunctions(tokens).find((name) => SERVER_FUNCTIONS.has(name));
  if (server) throw refuse(field, `${server}() is refused: it reaches files, settings or sessions of the server`);
}

/** PostgreSQL statements whose effect cannot be read off their text: only the owner may run them. */
function hidesItsTables(tokens: SqlToken[]): string | undefined {
  const words = tokens.slice(0, 6).map(upper);
  if (words[0] === 'DO' || words[0] === 'CALL') return words[0];
  if (words[0] === 'CREATE' && ['FUNCTION', 'PROCEDURE', 'TRIGGER', 'RULE', 'EVENT'].some((kind) => words.includes(kind))) return `CREATE ${words.find((word) => ['FUNCTION', 'PROCEDURE', 'TRIGGER', 'RULE', 'EVENT'].includes(word))}`;
  if (tokens.some((token) => token.escaped)) return 'a U& name';
  return undefined;
}

/** Check one `execute` statement; throws VALIDATION_ERROR or PERMISSION_DENIED naming `field`. */
export function guardExecute(sql: string, dialect: SqlDialectName, caller: ExecuteCaller, field = 'sql'): CheckedStatement {
  const statements = splitStatements(sql, dialect);
  if (statements.length !== 1) {
    throw new RpcError('VALIDATION_ERROR', `${field}: expected exactly one statement, found ${statements.length}`, { field });
  }
  const tokens = tokenize(statements[0]!, dialect);
  if (TRANSACTION_CONTROL.has(upper(tokens[0]))) {
    throw new RpcError('VALIDATION_ERROR', `${field}: transaction control statements are refused; use begin_transaction / commit_transaction`, { field });
  }
  if (dialect === 'sqlite') guardSqlite(tokens, field);
  else guardPostgres(tokens, field);
  const readOnly = isReadOnlyTokens(tokens);
  if (readOnly) return { readOnly };
  if (dialect === 'postgres' && !caller.owner) {
    const hidden = hidesItsTables(tokens);
    if (hidden) throw refuse(field, `${hidden} is refused: only the server's own connections (hello with role "owner") may run it`);
  }
  for (const token of tokens) {
    if (token.kind === 'punct') continue;
    const covering = caller.protectedTables.covering(token.text);
    if (covering === undefined) continue;
    if (covering === META_TABLE) throw metaRefusal(field);
    if (!caller.owner) throw protectedRefusal(token.text, field);
  }
  return { readOnly };
}
