import type { CodeDialect, SearchStructure } from './code-dialect.ts';
import type { DatabaseClient } from './database-client.ts';

const normalized = (sql: string) => sql.replace(/\s+/g, ' ').replace(/ ?([(),=]) ?/g, '$1').trim().toLowerCase();

/** SQLite: the statement each existing search table was made with (absent: not there). */
async function existingSql(db: DatabaseClient, structures: SearchStructure[]): Promise<Map<string, string>> {
  const names = structures.map((structure) => structure.name);
  const { data: rows = [] } = await db.execute(`SELECT name, sql FROM sqlite_master WHERE name IN (${names.map(() => '?').join(', ')})`, names);
  return new Map(rows.map((row) => [String(row.name), String(row.sql ?? '')]));
}

/**
 * Create the search structures that are missing, and make again (then fill from their
 * rows) those made differently: a version-1 database's symbols_fts kept its own copy of
 * the text. Returns what it did, for the log; each step is idempotent.
 */
export async function setupSearch(db: DatabaseClient, dialect: CodeDialect): Promise<string[]> {
  const done: string[] = [];
  if (dialect.driver === 'postgres') {
    for (const structure of dialect.structures) await db.execute(structure.create);
    return done;
  }
  const existing = await existingSql(db, dialect.structures);
  for (const structure of dialect.structures) {
    const sql = existing.get(structure.name);
    if (sql !== undefined && normalized(sql) === normalized(structure.create)) continue;
    if (sql !== undefined) await db.execute(`DROP ${structure.kind === 'trigger' ? 'TRIGGER' : 'TABLE'} ${structure.name}`);
    await db.execute(structure.create);
    if (structure.rebuild) await db.execute(structure.rebuild);
    done.push(`${sql === undefined ? 'created' : 'remade'} ${structure.name}`);
  }
  return done;
}
