import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/db/code-schema.ts';
import { loadConfig } from '../../src/config/load.ts';
import { connectDatabase } from '../../src/db/connect.ts';
import * as dbIndex from '../../src/db/index.ts';
import { UniversalDriver } from '../../src/db/universal-driver.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { startInProcessDriver, OWNER } from '../helpers/driver.ts';
import { testConfig } from '../helpers/serve.ts';

async function setup() {
  const driver = await startInProcessDriver();
  const file = join(driver.dir, 'code-analysis.json');
  await writeFile(file, JSON.stringify(testConfig({ data_dir: driver.dir })));
  const { config } = await loadConfig(nodeRuntime, { configPath: file });
  return { driver, universal: new UniversalDriver(nodeRuntime, config) };
}

describe('UniversalDriver', () => {
  it('connects to the configured driver socket', async () => {
    const { universal } = await setup();
    const { db, close } = await universal.connect({ poolSize: 1 });
    deferCleanup(close);
    expect(await db.ping()).toMatchObject({ pong: true, driver: 'sqlite' });
    expect(dbIndex.connectDatabase).toBe(connectDatabase);
  });

  it('syncs the code schema with its search table and hands out a working CodeDatabase', async () => {
    const { driver, universal } = await setup();
    const { db, code, sync } = await universal.open(driver.client(OWNER));
    expect(sync.created_tables.sort()).toEqual(['embedding_models', 'empty_vectors', 'file_references', 'files', 'projects', 'symbol_terms', 'symbol_vectors', 'symbols']);
    // Every code table is the server's own.
    expect(sync.protected_tables).toEqual(expect.arrayContaining(['embedding_models', 'empty_vectors', 'file_references', 'files', 'projects', 'symbol_terms', 'symbol_vectors', 'symbols']));
    expect(sync.version).toBe(SCHEMA_VERSION);
    expect(await db.getSchemaVersion()).toEqual({ version: SCHEMA_VERSION });
    expect((await db.listTables()).tables).toEqual(expect.arrayContaining(['projects', 'files', 'symbols', 'file_references', 'symbols_fts', 'file_references_fts', 'symbol_terms_fts']));
    expect((await db.listTables()).tables).not.toContain('syntax_trees');

    const project = await code.ensureProject('/p', 'p');
    await code.saveFile(
      project.id,
      { path: 'a.py', language: 'python', size: 1, mtime_ms: 1, hash: 'h', lines: 1 },
      {
        references: [],
        error: null,
        symbols: [{ name: 'hello', kind: 'function', qualified_name: 'hello', parent: null, line_start: 1, line_end: 1, signature: 'def hello()', docstring: null }],
      },
    );
    expect((await code.search('hello')).map((hit) => hit.path)).toEqual(['a.py']);
  });

  it('opens an up-to-date database again without changing it or losing its rows', async () => {
    const { driver, universal } = await setup();
    const first = await universal.open(driver.client(OWNER));
    const project = await first.code.ensureProject('/p', 'p');
    await first.code.saveFile(
      project.id,
      { path: 'a.py', language: 'python', size: 1, mtime_ms: 1, hash: 'h', lines: 1 },
      {
        references: [],
        error: null,
        symbols: [{ name: 'kept', kind: 'class', qualified_name: 'kept', parent: null, line_start: 1, line_end: 1, signature: null, docstring: 'Still here.' }],
      },
    );
    const again = await universal.open(driver.client(OWNER));
    expect(again.sync).toMatchObject({ created_tables: [], altered_tables: [], rebuilt_tables: [], created_indexes: [], dropped_indexes: [], backup_path: null });
    expect(again.repaired).toEqual([]);
    expect(again.sync.previous_version).toBe(SCHEMA_VERSION);
    expect((await again.code.search('still')).map((hit) => hit.name)).toEqual(['kept']);
    expect(await again.code.projects()).toEqual([project]);
  });
});
