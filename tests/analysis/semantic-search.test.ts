import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddingSource } from '../../src/analysis/embedding-source.ts';
import { semanticSearch } from '../../src/analysis/semantic-search.ts';
import { vectorizeProject } from '../../src/analysis/vectorizer.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { CODE_TARGETS } from '../helpers/code-fixtures.ts';
import { EmbeddingServer } from '../helpers/embedding-server.ts';
import { defaultEmbeddings } from '../helpers/indexed-project.ts';
import { indexedSemanticSample } from '../helpers/semantic-project.ts';

const QUESTION = 'pool which limits how many connections are open';

describe.each(CODE_TARGETS)('semantic search through the database, on the %s', (_name, start) => {
  it('ranks by meaning and words once the vectors are there, exact names first, and says they are ready', async () => {
    const fixture = await indexedSemanticSample(start);
    const context = fixture.context();
    await vectorizeProject(context, fixture.project);
    const answer = await semanticSearch(fixture.code, context.source, QUESTION, { limit: 5 });
    expect(answer.vectors).toMatchObject({ ready: true, notice: null });
    expect(answer.vectors.projects).toEqual([expect.objectContaining({ root: fixture.root, pending: 0, ready: true })]);
    expect(answer.symbols[0]).toMatchObject({ qualified_name: 'ConnectionPool', kind: 'class', path: 'lib/pool.py', line_start: 4, project: fixture.root });
    expect(answer.symbols.map((hit) => hit.score)).toEqual([...answer.symbols.map((hit) => hit.score)].sort((a, b) => b - a));
    // A word the full text does not have, whose meaning the model learnt from the code ("seconds" sits with timing).
    const timing = await semanticSearch(fixture.code, context.source, 'how long does it take', { limit: 3 });
    expect(timing.symbols.map((hit) => hit.qualified_name)).toContain('Timer');
    // Exact names lead, whatever the scores.
    const exact = await semanticSearch(fixture.code, context.source, 'lrucache', { limit: 3 });
    expect(exact.symbols[0]).toMatchObject({ qualified_name: 'LruCache' });
    // Embedded whole, the full-text list reads every field: a word of a body line (`except OSError`) finds its function.
    const body = await semanticSearch(fixture.code, context.source, 'os error', { limit: 3 });
    expect(body.symbols[0]).toMatchObject({ qualified_name: 'retry_with_backoff' });
    // Kind and project narrow.
    const methods = await semanticSearch(fixture.code, context.source, QUESTION, { kind: 'method', projectId: fixture.project.id, limit: 10 });
    expect(methods.symbols.length).toBeGreaterThan(0);
    expect(methods.symbols.every((hit) => hit.kind === 'method')).toBe(true);
    const imports = await semanticSearch(fixture.code, context.source, 'connection', { kind: 'import', limit: 10 });
    expect(imports.symbols).toEqual([]);
    await expect(semanticSearch(fixture.code, context.source, QUESTION, { projectId: 9999, limit: 5 })).rejects.toThrow(/project: no project has id 9999/);
  });

  it('before the vectorizer and while it is behind: the full-text ranking with a notice and the counts', async () => {
    const fixture = await indexedSemanticSample(start);
    const context = fixture.context();
    const before = await semanticSearch(fixture.code, context.source, QUESTION, { limit: 5 });
    expect(before.vectors.ready).toBe(false);
    expect(before.vectors.notice).toMatch(/has no builtin embedding model yet.*ranking is by full text over names and docstrings/);
    expect(before.symbols[0]).toMatchObject({ qualified_name: 'ConnectionPool' });
    // Names and docstrings only: a body line's words are not there yet.
    expect((await semanticSearch(fixture.code, context.source, 'os error', { limit: 3 })).symbols.map((hit) => hit.qualified_name)).not.toContain('retry_with_backoff');

    await vectorizeProject(context, fixture.project);
    await writeFile(join(fixture.root, 'lib/extra.py'), 'def open_pool(size):\n    """Open a pool of connections."""\n    return size\n');
    await fixture.scan();
    const behind = await semanticSearch(fixture.code, context.source, QUESTION, { limit: 20 });
    expect(behind.vectors.ready).toBe(false);
    expect(behind.vectors.notice).toContain(`${fixture.root}: 18 of 19 definitions embedded`);
    expect(behind.vectors.projects[0]).toMatchObject({ symbols: 19, pending: 1 });
    expect(behind.symbols.map((hit) => hit.qualified_name)).toContain('open_pool');
  });

  it('an http provider that is down: the notice names it and the full-text ranking still answers', async () => {
    const fixture = await indexedSemanticSample(start);
    const server = await EmbeddingServer.start(8);
    const embeddings = { ...defaultEmbeddings(), provider: 'http' as const, http: { ...defaultEmbeddings().http, url: server.url, model: 'test', retries: 0, retry_delay_ms: 1 } };
    const context = fixture.context(embeddings);
    await vectorizeProject(context, fixture.project);
    expect((await semanticSearch(fixture.code, context.source, QUESTION, { limit: 5 })).vectors.ready).toBe(true);
    await server.stop();
    // A process that has not reached the server yet (a one-shot command) learns it is down.
    const fresh = new EmbeddingSource(embeddings, { fs: nodeRuntime.fs });
    const answer = await semanticSearch(fixture.code, fresh, QUESTION, { limit: 5 });
    expect(answer.vectors.notice).toMatch(/the http embedding provider is unavailable \(.*cannot be reached/);
    expect(answer.symbols[0]).toMatchObject({ qualified_name: 'ConnectionPool' });
  });
});
