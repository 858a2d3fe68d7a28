import type { CodeDialect } from './code-dialect.ts';
import type { DatabaseClient } from './database-client.ts';

const count = async (db: DatabaseClient, sql: string): Promise<{ n: number; sum: number }> => {
  const row = (await db.execute(sql)).data?.[0] ?? {};
  return { n: Number(row.n ?? 0), sum: Number(row.sum ?? 0) };
};

const ORPHANS: Array<[table: string, column: string, parent: string, what: string]> = [
  ['files', 'project_id', 'projects', 'files of projects that no longer exist'],
  ['symbols', 'file_id', 'files', 'symbols of files that no longer exist'],
  ['file_references', 'file_id', 'files', 'references of files that no longer exist'],
  ['symbol_vectors', 'symbol_id', 'symbols', 'vectors of symbols that no longer exist'],
  ['empty_vectors', 'symbol_id', 'symbols', 'empty-vector marks of symbols that no longer exist'],
  ['symbol_terms', 'symbol_id', 'symbols', 'full-text terms of symbols that no longer exist'],
  ['embedding_models', 'project_id', 'projects', 'embedding models of projects that no longer exist'],
];

/**
 * Rows whose parent row is gone (a table dropped and made again empty, or rows deleted by
 * hand). Counted first: a whole index is checked with reads alone, which never wait for
 * the writer (an indexer's transaction) the way a delete would.
 */
async function removeOrphans(db: DatabaseClient): Promise<string[]> {
  const orphaned = (table: string, column: string, parent: string) => `FROM ${table} WHERE ${column} NOT IN (SELECT id FROM ${parent})`;
  const counts = (await db.execute(`SELECT ${ORPHANS.map(([table, column, parent], i) => `(SELECT count(*) ${orphaned(table, column, parent)}) AS n${i}`).join(', ')}`)).data?.[0] ?? {};
  const done: string[] = [];
  for (const [i, [table, column, parent, what]] of ORPHANS.entries()) {
    if (Number(counts[`n${i}`] ?? 0) === 0) continue;
    const { affected_rows } = await db.execute(`DELETE ${orphaned(table, column, parent)}`);
    if (affected_rows > 0) done.push(`removed ${affected_rows} ${what}`);
  }
  return done;
}

/**
 * Files stored whole say how many symbols they have and have a references row; a file
 * whose rows went missing (deleted, or a table dropped and made again empty) is marked
 * changed, so the next scan indexes it again even though its content is unchanged.
 */
async function markIncompleteFiles(db: DatabaseClient): Promise<string[]> {
  const { data: rows = [] } = await db.execute(
    'SELECT f.id AS id FROM files f LEFT JOIN (SELECT file_id, count(*) AS n FROM symbols GROUP BY file_id) c ON c.file_id = f.id ' +
      'WHERE f.symbol_count <> coalesce(c.n, 0) OR NOT EXISTS (SELECT 1 FROM file_references r WHERE r.file_id = f.id)',
  );
  if (rows.length === 0) return [];
  const ids = rows.map((row) => Number(row.id));
  // An impossible size and hash: the scanner reads the file again and stores it whole.
  await db.update('files', { id: { in: ids } }, { size: -1, hash: '' });
  return [`${ids.length} files lacked some of their rows (symbols or references): marked to be indexed again`];
}

/** SQLite: a search table that does not index exactly its rows is filled again from them. */
async function rebuildSearchTables(db: DatabaseClient, dialect: CodeDialect): Promise<string[]> {
  const done: string[] = [];
  for (const structure of dialect.structures) {
    if (!structure.content || !structure.rebuild) continue;
    const rows = await count(db, `SELECT count(*) AS n, sum(${structure.content.key}) AS sum FROM ${structure.content.table}`);
    const indexed = await count(db, `SELECT count(*) AS n, sum(id) AS sum FROM ${structure.content.docsize}`);
    if (rows.n === indexed.n && rows.sum === indexed.sum) continue;
    await db.execute(structure.rebuild);
    done.push(`rebuilt ${structure.name}: it indexed ${indexed.n} of ${rows.n} rows of ${structure.content.table}`);
  }
  return done;
}

/**
 * Check the code index at start and mend what is inconsistent (issue 14, case 3): rows
 * left without their file, files left without their rows, search tables out of step with
 * their rows. Answers one line per repair, for the log; nothing when all was whole.
 */
export async function repairCodeIndex(db: DatabaseClient, dialect: CodeDialect): Promise<string[]> {
  return [...(await removeOrphans(db)), ...(await markIncompleteFiles(db)), ...(await rebuildSearchTables(db, dialect))];
}
