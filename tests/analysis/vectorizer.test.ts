import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProviderFailure, vectorizeProject } from '../../src/analysis/vectorizer.ts';
import { CODE_TARGETS } from '../helpers/code-fixtures.ts';
import { defaultEmbeddings } from '../helpers/indexed-project.ts';
import { indexedSemanticSample, orphanedVectors, vectorRows } from '../helpers/semantic-project.ts';

describe.each(CODE_TARGETS)('the vectorizer on the %s', (_name, start, traits) => {
  it('fits the builtin model, embeds every definition in batches, and is done after that', async () => {
    const fixture = await indexedSemanticSample(start);
    const progress: string[] = [];
    const result = await vectorizeProject(fixture.context(), fixture.project, { onProgress: (step) => progress.push(step.state) });
    expect(result).toMatchObject({ state: 'ready', pending: 0, error: null, provider: 'builtin' });
    expect(result.model_id).toMatch(/^builtin-lsi-\d+d-[0-9a-f]{16}$/);
    expect(result.symbols).toBe(18);
    expect(result.embedded + result.empty).toBe(result.symbols);
    expect(result.embedded).toBeGreaterThan(12);
    expect(result.done).toBe(result.symbols);
    // Batches of 4: progress after each, fitting first.
    expect(progress[0]).toBe('fitting');
    expect(progress.filter((state) => state === 'embedding').length).toBeGreaterThanOrEqual(5);
    const model = await fixture.code.vectors.model(fixture.project.id, 'builtin');
    expect(model).toMatchObject({ model_id: result.model_id, fitted_files: 6 });
    expect((await fixture.code.vectors.modelState(fixture.project.id, result.model_id!))!.length).toBeGreaterThan(100);
    expect(model!.caught_up_at).not.toBeNull();
    const rows = await vectorRows(fixture.db, fixture.project.id);
    expect(rows).toHaveLength(result.embedded);
    for (const row of rows) {
      expect(row).toMatchObject({ model_id: result.model_id, project_id: fixture.project.id });
      expect(String(row.text_hash)).toMatch(/^[0-9a-f]{32}$/);
      // int8, one byte per dimension.
      expect(atob((row.vector as { $blob: string }).$blob).length).toBe(model!.dimension);
    }
    // The semantic tables are the server's own: another connection may read them, not change them.
    const stranger = fixture.handle.client();
    expect((await stranger.select('symbol_vectors', { columns: ['symbol_id'] })).data).toHaveLength(result.embedded);
    for (const table of ['symbol_vectors', 'empty_vectors', 'symbol_terms', 'embedding_models']) {
      await expect(stranger.delete(table, { project_id: fixture.project.id })).rejects.toMatchObject({ codeName: 'PERMISSION_DENIED' });
    }
    // Nothing left: a second pass embeds nothing and fits nothing.
    const again = await vectorizeProject(fixture.context(), fixture.project);
    expect(again).toMatchObject({ state: 'ready', done: 0, model_id: result.model_id });
  });

  it('edit a function: its vector changes; delete a file: no vector rows are left of it, none orphaned', async () => {
    const fixture = await indexedSemanticSample(start);
    const context = fixture.context();
    const first = await vectorizeProject(context, fixture.project);
    const vectorOf = async (qualifiedName: string) => {
      const [symbol] = await fixture.code.symbolsNamed(qualifiedName, { projectId: fixture.project.id, limit: 1 });
      const { data } = await fixture.db.select('symbol_vectors', { where: { symbol_id: symbol!.id } });
      return { id: symbol!.id, row: data[0] };
    };
    const before = await vectorOf('retry_with_backoff');
    expect(before.row).toBeDefined();
    await writeFile(
      join(fixture.root, 'lib/retry.py'),
      '"""Retrying."""\n\n\ndef retry_with_backoff(call):\n    """Read settings from a configuration file over a pooled connection."""\n    return call()\n\n\ndef wait(seconds):\n    """Sleep."""\n',
    );
    await fixture.scan();
    // The file's rows were written again: its old vectors went with its old symbols.
    expect(await orphanedVectors(fixture.db)).toBe(0);
    const second = await vectorizeProject(context, fixture.project);
    expect(second).toMatchObject({ state: 'ready', pending: 0, model_id: first.model_id });
    expect(second.done).toBe(2);
    const after = await vectorOf('retry_with_backoff');
    expect(after.row).toBeDefined();
    expect(after.row!.text_hash).not.toBe(before.row!.text_hash);
    expect(after.row!.vector).not.toEqual(before.row!.vector);

    await rm(join(fixture.root, 'lib/cache.py'));
    await fixture.scan();
    const { data: left = [] } = await fixture.db.execute(
      "SELECT count(*) AS n FROM symbol_vectors v JOIN symbols s ON s.id = v.symbol_id JOIN files f ON f.id = s.file_id WHERE f.path = 'lib/cache.py'",
    );
    expect(Number(left[0]!.n)).toBe(0);
    expect(await orphanedVectors(fixture.db)).toBe(0);
    // The terms went with their symbols, and (SQLite) their full-text entries with them, by trigger.
    const terms = await fixture.db.execute('SELECT (SELECT count(*) FROM symbol_terms) AS terms, (SELECT count(*) FROM symbol_terms WHERE symbol_id NOT IN (SELECT id FROM symbols)) AS orphans');
    expect(terms.data![0]).toEqual({ terms: first.symbols - 4, orphans: 0 });
    if (traits.driver === 'sqlite') expect((await fixture.db.execute('SELECT count(*) AS n FROM symbol_terms_fts_docsize')).data![0]!.n).toBe(first.symbols - 4);
    const counts = await fixture.code.vectors.counts(fixture.project.id, first.model_id);
    expect(counts.pending).toBe(0);
    expect(counts.symbols).toBe(first.symbols - 4);
    expect((await vectorRows(fixture.db, fixture.project.id)).length + counts.empty).toBe(counts.symbols);
  });

  it('a provider that fails: a ProviderFailure, nothing half-stored, and the next pass catches up', async () => {
    const fixture = await indexedSemanticSample(start);
    const context = fixture.context();
    await vectorizeProject(context, fixture.project);
    const model = (await fixture.code.vectors.model(fixture.project.id, 'builtin'))!;
    const state = await fixture.code.vectors.modelState(fixture.project.id, model.model_id);
    // A changed model id: every vector is stale; the provider fails on the third batch.
    await fixture.code.vectors.saveModel({ ...model, state, model_id: 'builtin-lsi-stale' });
    const stale = context.source;
    await stale.storedBuiltin(fixture.code.vectors, { ...model, model_id: 'builtin-lsi-stale' });
    const provider = await stale.forProject(fixture.code.vectors, fixture.project.id);
    let calls = 0;
    const embed = provider!.provider.embed.bind(provider!.provider);
    Object.assign(provider!.provider, {
      modelId: 'builtin-lsi-stale',
      embed: async (texts: readonly string[]) => {
        if (++calls === 3) throw new Error('the model went away');
        return embed(texts);
      },
    });
    const failed = vectorizeProject({ ...context, source: stale }, fixture.project);
    await expect(failed).rejects.toBeInstanceOf(ProviderFailure);
    await expect(failed).rejects.toThrow(/builtin embedding provider failed: the model went away/);
    const partial = await fixture.code.vectors.counts(fixture.project.id, 'builtin-lsi-stale');
    expect(partial.embedded + partial.empty).toBe(8);
    const caughtUp = await vectorizeProject({ ...context, source: stale }, fixture.project);
    expect(caughtUp).toMatchObject({ state: 'ready', pending: 0, done: partial.symbols - 8 });
  });

  it('refits the builtin model once a quarter of the files (at least 20) changed, and embeds everything again with it', async () => {
    const fixture = await indexedSemanticSample(start);
    const topics = ['socket', 'buffer', 'stream', 'packet'];
    const module = (i: number, extra: string) =>
      `def ${topics[i % 4]}_reader_${i}(source):\n    """Read a ${topics[i % 4]} from the source ${extra}."""\n    return source\n`;
    for (let i = 0; i < 24; i++) await writeFile(join(fixture.root, 'lib', `mod${i}.py`), module(i, 'once'));
    await fixture.scan();
    const context = fixture.context();
    const first = await vectorizeProject(context, fixture.project);
    expect(first).toMatchObject({ state: 'ready', pending: 0 });
    // A few changed files: the same model.
    for (let i = 0; i < 3; i++) await writeFile(join(fixture.root, 'lib', `mod${i}.py`), module(i, 'twice'));
    await fixture.scan();
    expect(await vectorizeProject(context, fixture.project)).toMatchObject({ model_id: first.model_id, done: 3 });
    // Twenty-four: refitted (new words, so a new model), every definition embedded again.
    const units = ['window', 'frame', 'chunk', 'block'];
    for (let i = 0; i < 24; i++) await writeFile(join(fixture.root, 'lib', `mod${i}.py`), module(i, `by ${units[(i + 1) % 4]}`));
    await fixture.scan();
    const refitted = await vectorizeProject(context, fixture.project);
    expect(refitted.model_id).not.toBe(first.model_id);
    expect(refitted).toMatchObject({ state: 'ready', pending: 0, done: refitted.symbols });
    expect((await vectorRows(fixture.db, fixture.project.id)).every((row) => row.model_id === refitted.model_id)).toBe(true);
    expect((await fixture.code.vectors.model(fixture.project.id, 'builtin'))!.fitted_files).toBe(30);
  });

  it('a project too small to learn from: no model, nothing pending is claimed embedded', async () => {
    const fixture = await indexedSemanticSample(start);
    for (const file of ['cache.py', 'retry.py', 'settings.py', 'timer.py', 'http_client.py']) await rm(join(fixture.root, 'lib', file));
    await fixture.scan();
    const failed = vectorizeProject(fixture.context(defaultEmbeddings()), fixture.project);
    await expect(failed).rejects.toThrow(/builtin model cannot learn from 1 documents/);
    expect(await fixture.code.vectors.model(fixture.project.id, 'builtin')).toBeNull();
  });
});
