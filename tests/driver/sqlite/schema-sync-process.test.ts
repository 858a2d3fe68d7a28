import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/ipc/errors.ts';
import { SQLITE_TARGETS } from '../../helpers/driver.ts';
import { rejectionOf } from '../../helpers/rpc-error.ts';

/**
 * sync_schema through the socket of a running driver: the process decides where backups go
 * (`backups/` beside the database unless `--backup-dir`), and the schema changes under a
 * driver that keeps serving.
 */

const authors = { name: 'authors', columns: [{ name: 'id', type: 'integer', primary_key: true }, { name: 'name', type: 'text', not_null: true }] };
const books = (version: string, titleType: string) => ({
  version,
  tables: [
    authors,
    {
      name: 'books',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'author_id', type: 'integer', not_null: true, references: { table: 'authors', column: 'id', on_delete: 'cascade' } },
        { name: 'title', type: titleType, not_null: true },
      ],
      indexes: [{ name: 'books_author', columns: ['author_id'] }],
    },
  ],
});

describe.each(SQLITE_TARGETS)('sync_schema on the %s', (_label, start) => {
  it('rebuilds with rows, backing up into backups/ beside the database, and keeps serving', async () => {
    const driver = await start();
    const db = driver.client();
    await db.syncSchema(books('1', 'text'));
    await db.insert('authors', { id: 1, name: 'Le Guin' });
    await db.insertMany('books', [{ author_id: 1, title: 'The Dispossessed' }, { author_id: 1, title: 'Always Coming Home' }]);
    const dry = await db.syncSchema(books('2', 'blob'), { dry_run: true });
    expect(existsSync(join(driver.dir, 'backups'))).toBe(false);
    const report = await db.syncSchema(books('2', 'blob'));
    expect(report).toEqual({ ...dry, dry_run: false, backup_path: join(driver.dir, 'backups', readdirSync(join(driver.dir, 'backups'))[0]!) });
    expect(report).toMatchObject({ rebuilt_tables: ['books'], previous_version: '1', version: '2' });
    expect(await db.getSchemaVersion()).toEqual({ version: '2' });
    expect((await db.getTableInfo('books')).info.find((column) => column.name === 'title')?.type).toBe('blob');
    expect((await db.execute('SELECT title FROM books ORDER BY id')).data).toEqual([{ title: 'The Dispossessed' }, { title: 'Always Coming Home' }]);
    expect((await db.execute('PRAGMA foreign_key_check')).data).toEqual([]);
    expect((await db.execute("SELECT name FROM sqlite_schema WHERE tbl_name = 'books' AND type = 'index'")).data).toEqual([{ name: 'books_author' }]);
    const orphan = await rejectionOf(db.insert('books', { author_id: 9, title: { $blob: 'eA==' } }));
    expect(orphan.data?.database_code).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');

    const backup = new Database(report.backup_path!, { readonly: true });
    try {
      expect(backup.prepare("SELECT type FROM pragma_table_info('books') WHERE name = 'title'").all()).toEqual([{ type: 'TEXT' }]);
      expect(backup.prepare('SELECT value FROM _code_analysis_meta').all()).toEqual([{ value: '1' }]);
      expect(backup.prepare('SELECT count(*) AS n FROM books').all()).toEqual([{ n: 2 }]);
    } finally {
      backup.close();
    }
  });

  it('refuses over the wire, naming the table, and rolls back a rebuild the rows do not fit', async () => {
    const driver = await start();
    const db = driver.client();
    await db.syncSchema(books('1', 'text'));
    await db.insert('authors', { id: 1, name: 'a' });
    await db.insert('books', { author_id: 1, title: 'dup' });
    await db.insert('books', { author_id: 1, title: 'dup' });
    const unique = books('2', 'text');
    unique.tables[1]!.columns[2] = { name: 'title', type: 'text', not_null: true, unique: true } as never;
    const error = await rejectionOf(db.syncSchema(unique, { backup_dir: join(driver.dir, 'mine') }));
    expect(error.code).toBe(ErrorCode.SCHEMA_ERROR);
    expect(error.data).toMatchObject({ table: 'books', database_code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(readdirSync(join(driver.dir, 'mine'))).toHaveLength(1);
    expect(existsSync(join(driver.dir, 'backups'))).toBe(false);
    expect(await db.getSchemaVersion()).toEqual({ version: '1' });
    expect((await db.execute('SELECT count(*) AS n FROM books')).data).toEqual([{ n: 2 }]);
    expect((await db.ping()).pong).toBe(true);
  });
});
