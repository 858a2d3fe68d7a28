import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectName, scanProject } from '../../src/analysis/indexer.ts';
import { loadConfig } from '../../src/config/load.ts';
import { runPaths } from '../../src/config/run-paths.ts';
import type { ChildEvent } from '../../src/ipc/child-events.ts';
import { createLogger } from '../../src/runtime/logger.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { runWorker } from '../../src/workers/launcher.ts';
import type { VectorizerReport } from '../../src/workers/vectorizer.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { OWNER, startInProcessDriver } from '../helpers/driver.ts';
import { openTestCodeIndex, testFileParser } from '../helpers/indexed-project.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { describeWithPostgres } from '../helpers/postgres-suite.ts';
import { EmbeddingServer } from '../helpers/embedding-server.ts';
import { pythonStdlib } from '../bench/semantic/corpus.ts';
import { SEMANTIC_SAMPLE } from '../helpers/semantic-project.ts';
import { type ServeHandle, startServe, testConfig } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

type Progress = { root: string; state: string; symbols: number; embedded: number; empty: number; pending: number; model_id: string | null };
type Report = { provider: string; projects: Progress[]; embedded_total: number; provider_errors: { total: number; by_code: Record<string, number> } };

const report = async (serve: ServeHandle) => (await serve.service('worker-vectorizer')).details as Report | undefined;
const projectOf = async (serve: ServeHandle, root: string) => (await report(serve))?.projects?.find((entry) => entry.root === root);

/** What the index holds, read through POST /rpc (reads are allowed): vector rows without a symbol, and rows of another model. */
async function storedState(serve: ServeHandle, modelId: string) {
  const { result, error } = await serve.rpc('execute', {
    sql:
      'SELECT (SELECT count(*) FROM symbol_vectors WHERE symbol_id NOT IN (SELECT id FROM symbols)) AS orphans, ' +
      `(SELECT count(*) FROM symbol_vectors WHERE model_id <> '${modelId}') AS stale, (SELECT count(*) FROM symbol_vectors) AS vectors`,
  });
  expect(error).toBeUndefined();
  return (result as { data: Array<{ orphans: number; stale: number; vectors: number }> }).data[0]!;
}

const silent = createLogger(nodeRuntime, { level: 'silent' });

/** The vectorizer worker in-process (through the one launcher) on a real driver, over an indexed copy of semantic-sample. */
async function startVectorizer(embeddings: Record<string, unknown> = {}) {
  const driver = await startInProcessDriver();
  const code = await openTestCodeIndex(driver.client(OWNER));
  const root = join(await makeTempDir(), 'semantic-sample');
  await cp(SEMANTIC_SAMPLE, root, { recursive: true });
  const project = await code.ensureProject(root, projectName(root));
  await scanProject({ fs: nodeRuntime.fs, code, parser: testFileParser(), logger: silent }, project);
  const file = join(driver.dir, 'code-analysis.json');
  await writeFile(file, JSON.stringify(testConfig({ data_dir: driver.dir, workers: { vectorizer: { enabled: true, interval_ms: 100, batch_size: 5 } }, embeddings })));
  const { config } = await loadConfig(nodeRuntime, { configPath: file });
  const paths = runPaths(config);
  const events: ChildEvent[] = [];
  let stop!: () => void;
  const shutdown = new Promise<void>((resolve) => (stop = resolve));
  const running = runWorker(nodeRuntime, silent, { kind: 'vectorizer', config, paths, socketPath: driver.socketPath, pidFile: paths.pidFile('worker-vectorizer'), shutdown, emit: (event) => events.push(event) });
  const stopWorker = async () => {
    stop();
    await running;
  };
  deferCleanup(stopWorker);
  const latest = () => [...events].reverse().find((event) => event.event === 'progress')?.details as VectorizerReport | undefined;
  return { code, root, events, latest, stop: stopWorker };
}

describe('the vectorizer worker', () => {
  it('embeds every project in batches, reports each step, and stops when told', async () => {
    const worker = await startVectorizer();
    const done = await waitFor(() => {
      const entry = worker.latest()?.projects.find((project) => project.root === worker.root);
      return entry?.state === 'ready' ? entry : undefined;
    }, { timeoutMs: 60_000, message: 'the project embedded' });
    expect(done).toMatchObject({ symbols: 18, pending: 0, done: 18 });
    expect(worker.latest()).toMatchObject({ provider: 'builtin', embedded_total: 18, provider_errors: { total: 0 }, errors: 0, last_error: null });
    // Fitting, then a report per batch of 5.
    const states = worker.events.flatMap((event) => (event.event === 'progress' ? ((event.details as unknown as VectorizerReport).projects ?? []).map((p) => p.state) : []));
    expect(states).toContain('fitting');
    expect(states.filter((state) => state === 'embedding').length).toBeGreaterThanOrEqual(4);
    await worker.stop();
    expect(worker.events.some((event) => event.event === 'ready')).toBe(true);
  });

  it('counts a failing provider by error code, keeps trying, and catches up when it answers', async () => {
    const endpoint = await EmbeddingServer.start(8);
    endpoint.mode = 'down';
    const http = { url: endpoint.url, model: 'm', retries: 0, retry_delay_ms: 1, breaker_failures: 1, breaker_open_ms: 100, timeout_ms: 2_000 };
    const worker = await startVectorizer({ provider: 'http', http });
    const failing = await waitFor(() => {
      const report = worker.latest();
      return report && report.provider_errors.total >= 2 ? report : undefined;
    }, { timeoutMs: 30_000, message: 'provider errors counted' });
    expect(failing.provider_errors.by_code.CONNECTION_ERROR).toBeGreaterThanOrEqual(2);
    expect(failing.last_error).toMatchObject({ project: worker.root, message: expect.stringMatching(/the http embedding provider failed: .*answered 503/) });
    endpoint.mode = 'up';
    const done = await waitFor(() => {
      const entry = worker.latest()?.projects.find((project) => project.root === worker.root);
      return entry?.state === 'ready' ? entry : undefined;
    }, { timeoutMs: 30_000, message: 'caught up' });
    expect(done).toMatchObject({ model_id: 'http:m:8', embedded: 18, pending: 0 });
  });
});

describe('the vectorizer worker under serve', () => {
  it('embeds a watched project, survives kill -9 of itself and of the driver mid-embed, and ends with every vector current and none orphaned', async () => {
    const stdlib = pythonStdlib();
    expect(stdlib, 'python3 is needed: its json and asyncio packages are the tree').not.toBeNull();
    const root = join(await makeTempDir(), 'tree');
    for (const name of ['asyncio', 'json']) await cp(join(stdlib!, name), join(root, name), { recursive: true });
    const serve = await startServe({
      config: testConfig({ workers: { indexer: { watch_dirs: [root] }, vectorizer: { enabled: true, interval_ms: 200, batch_size: 8 } } }),
    });
    // Mid-embed: some stored, some pending.
    const midway = async () => waitFor(async () => {
      const entry = await projectOf(serve, root);
      return entry && entry.state === 'embedding' && entry.embedded > 0 && entry.pending > 0 ? entry : undefined;
    }, { timeoutMs: 120_000, message: 'the vectorizer midway through the project' });
    const first = await midway();
    const worker = await serve.service('worker-vectorizer');
    nodeRuntime.kill(worker.pid!, 'SIGKILL');
    await waitFor(async () => {
      const now = await serve.service('worker-vectorizer');
      return now.state === 'running' && now.pid !== worker.pid;
    }, { timeoutMs: 60_000, message: 'the vectorizer restarted' });
    const second = await midway();
    expect(second.embedded + second.empty).toBeGreaterThanOrEqual(first.embedded + first.empty);
    const driver = await serve.service('driver');
    nodeRuntime.kill(driver.pid!, 'SIGKILL');
    const done = await waitFor(async () => {
      const entry = await projectOf(serve, root);
      return entry?.state === 'ready' && entry.pending === 0 ? entry : undefined;
    }, { timeoutMs: 180_000, message: 'the vectorizer done after the restarts' });
    expect(done.embedded + done.empty).toBe(done.symbols);
    expect(done.symbols).toBeGreaterThan(1000);
    expect((await serve.service('driver')).restarts).toBe(1);
    expect(await storedState(serve, done.model_id!)).toEqual({ orphans: 0, stale: 0, vectors: done.embedded });

    // index_status and /search?mode=semantic see the same.
    const status = (await (await serve.get(`/index-status?project=${encodeURIComponent(root)}`)).json()) as {
      vectorizer: string;
      projects: Array<{ vectors: Progress & { ready: boolean } }>;
    };
    expect(status.vectorizer).toBe('running');
    expect(status.projects[0]!.vectors).toMatchObject({ ready: true, pending: 0, model_id: done.model_id, symbols: done.symbols, state: 'ready' });
    const search = (await (await serve.get('/search?mode=semantic&q=decode%20a%20json%20document&limit=10')).json()) as {
      symbols: Array<{ qualified_name: string; path: string }>;
      vectors: { ready: boolean; notice: string | null };
    };
    expect(search.vectors).toMatchObject({ ready: true, notice: null });
    expect(search.symbols.slice(0, 10).map((hit) => hit.path)).toContain('json/decoder.py');
    const metrics = await (await serve.get('/metrics')).text();
    expect(metrics).toMatch(/^code_analysis_embedded_symbols_total\{provider="builtin"\} \d+$/m);
    expect(metrics).toContain(`code_analysis_embedding_pending_symbols{project="${root}"} 0`);
  });

  it('an http provider outage: indexing goes on, the errors are counted in /status and /metrics, and the vectors catch up once it is back', async () => {
    const endpoint = await EmbeddingServer.start(16);
    endpoint.mode = 'down';
    const root = join(await makeTempDir(), 'semantic-sample');
    await cp(SEMANTIC_SAMPLE, root, { recursive: true });
    const http = { url: endpoint.url, model: 'test-model', retries: 0, retry_delay_ms: 1, breaker_failures: 1, breaker_open_ms: 300, timeout_ms: 2_000 };
    const serve = await startServe({
      config: testConfig({
        workers: { indexer: { watch_dirs: [root] }, vectorizer: { enabled: true, interval_ms: 200, batch_size: 8 } },
        embeddings: { provider: 'http', http },
      }),
    });
    // Indexing does not wait for the provider.
    await waitFor(async () => {
      const status = (await (await serve.get('/index-status')).json()) as { projects: Array<{ files: number; scan: { state: string } | null }> };
      return status.projects[0]?.files === 6 && status.projects[0].scan?.state === 'done';
    }, { timeoutMs: 60_000, message: 'the project indexed while the provider is down' });
    const failing = await waitFor(async () => {
      const details = await report(serve);
      return details && details.provider_errors.total >= 2 ? details : undefined;
    }, { timeoutMs: 60_000, message: 'provider errors counted' });
    expect(failing.provider_errors.by_code.CONNECTION_ERROR).toBeGreaterThanOrEqual(2);
    expect((await serve.service('worker-vectorizer')).state).toBe('running');
    const metrics = await (await serve.get('/metrics')).text();
    expect(metrics).toMatch(/^code_analysis_embedding_provider_errors_total\{provider="http",code="CONNECTION_ERROR"\} [1-9]\d*$/m);
    const meanwhile = (await (await serve.get('/search?mode=semantic&q=pool%20of%20connections')).json()) as { symbols: Array<{ qualified_name: string }>; vectors: { notice: string } };
    // The vectorizer could not record the server's model yet.
    expect(meanwhile.vectors.notice).toMatch(/has no http embedding model yet/);
    expect(meanwhile.symbols.map((hit) => hit.qualified_name)).toContain('ConnectionPool');

    endpoint.mode = 'up';
    const caughtUp = await waitFor(async () => {
      const entry = await projectOf(serve, root);
      return entry?.state === 'ready' && entry.pending === 0 ? entry : undefined;
    }, { timeoutMs: 60_000, message: 'the vectors caught up' });
    expect(caughtUp).toMatchObject({ model_id: 'http:test-model:16', symbols: 18, embedded: 18 });
    const answer = (await (await serve.get('/search?mode=semantic&q=pool%20of%20connections')).json()) as { vectors: { ready: boolean } };
    expect(answer.vectors.ready).toBe(true);
    const bad = await serve.get('/search?mode=vectors&q=x');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('mode: must be name or semantic, not "vectors"');
  });
});

describeWithPostgres('the vectorizer worker under serve on PostgreSQL', () => {
  it('embeds a watched project through kill -9 of the driver mid-embed; a semantic question then ranks with the vectors', async () => {
    const server = await startPostgres();
    const url = await server.createDatabase('vectorizer');
    const stdlib = pythonStdlib();
    expect(stdlib, 'python3 is needed: its json package is the tree').not.toBeNull();
    const root = join(await makeTempDir(), 'tree');
    await cp(join(stdlib!, 'json'), join(root, 'json'), { recursive: true });
    await cp(SEMANTIC_SAMPLE, join(root, 'sample'), { recursive: true });
    const serve = await startServe({
      config: testConfig({ workers: { indexer: { watch_dirs: [root] }, vectorizer: { enabled: true, interval_ms: 200, batch_size: 4 } } }),
      args: ['--database', url],
    });
    await waitFor(async () => {
      const entry = await projectOf(serve, root);
      return entry && entry.embedded > 0 && entry.pending > 0 ? entry : undefined;
    }, { timeoutMs: 120_000, message: 'the vectorizer midway through the project' });
    const driver = await serve.service('driver');
    nodeRuntime.kill(driver.pid!, 'SIGKILL');
    const done = await waitFor(async () => {
      const entry = await projectOf(serve, root);
      return entry?.state === 'ready' && entry.pending === 0 ? entry : undefined;
    }, { timeoutMs: 120_000, message: 'the vectorizer done after the restart' });
    expect(done.embedded + done.empty).toBe(done.symbols);
    expect(await storedState(serve, done.model_id!)).toEqual({ orphans: 0, stale: 0, vectors: done.embedded });
    const answer = (await (await serve.get(`/search?mode=semantic&q=${encodeURIComponent('pool which limits how many connections are open')}`)).json()) as {
      symbols: Array<{ qualified_name: string }>;
      vectors: { ready: boolean };
    };
    expect(answer.vectors.ready).toBe(true);
    expect(answer.symbols[0]!.qualified_name).toBe('ConnectionPool');
  });
});
