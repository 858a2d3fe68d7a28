// Slow but required: builds the single executable once for this file (about 5 s) and runs
// it as operators do. The build is not reused across test runs: each run tests its sources.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/analysis/languages.ts';
import { connectDatabase } from '../../src/db/connect.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import type { SupervisorStatus } from '../../src/supervisor/types.ts';
import { VERSION } from '../../src/version.ts';
import { deferCleanup } from '../helpers/cleanup.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { testConfig } from '../helpers/serve.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { vectorSearchSmokeSpec } from '../shared/vector-search-smoke.ts';

const OUT = join(REPO_ROOT, 'build/out');
const EXECUTABLE = join(OUT, `code-analysis-${process.platform}-${process.arch}`);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The executable with no node on PATH and its own asset cache. */
function run(args: string[], options: { cwd: string; cache: string }) {
  return spawnSync(EXECUTABLE, args, { cwd: options.cwd, encoding: 'utf8', env: { PATH: '', HOME: options.cwd, CODE_ANALYSIS_CACHE_DIR: options.cache } });
}

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'build/build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(build.status, `npm run build failed:\n${build.stdout}\n${build.stderr}`).toBe(0);
}, 120_000);

describe('the single executable (slow, required)', () => {
  it('--version names the version, the runtime and that it is a single executable', async () => {
    const dir = await makeTempDir();
    const version = run(['--version'], { cwd: dir, cache: join(dir, 'cache') });
    expect(version.stdout).toBe(`code-analysis ${VERSION} (node ${process.versions.node}, single executable)\n`);
    expect(version.status).toBe(0);
  });

  it("embeds the SQLite addon, its thread, deadline and sqlite-vec extensions, a grammar for every language the parser knows, and ONNX Runtime's WASM", async () => {
    const manifest = JSON.parse(await readFile(join(OUT, 'manifest.json'), 'utf8')) as { version: string; assets: Record<string, string> };
    expect(manifest.version).toBe(VERSION);
    expect(Object.keys(manifest.assets).sort()).toEqual(
      [
        'better_sqlite3.node',
        'parse-worker.cjs',
        'sqlite-thread.cjs',
        `sqlite-deadline${process.platform === 'darwin' ? '.dylib' : '.so'}`,
        `vec0${process.platform === 'darwin' ? '.dylib' : '.so'}`,
        'tree-sitter.wasm',
        ...LANGUAGES.map((language) => `tree-sitter-${language}.wasm`),
        // The onnx embedding provider's runtime.
        'ort-wasm-simd-threaded.wasm',
      ].sort(),
    );
  });

  it('its driver loads sqlite-vec from the embedded vec0 on every connection and answers vector_search', async () => {
    const dir = await makeTempDir();
    const socketPath = join(dir, 'run', 'driver.sock');
    const driver = nodeRuntime.spawn([EXECUTABLE, 'driver', '--database', join(dir, 'vectors.db'), '--socket', socketPath], {
      cwd: dir,
      env: { PATH: '', HOME: dir, CODE_ANALYSIS_CACHE_DIR: join(dir, 'cache') },
      stdout: 'ignore',
      stderr: 'ignore',
    });
    let ended = false;
    const exited = driver.exited.then((exit) => ((ended = true), exit));
    deferCleanup(async () => {
      if (!ended) driver.kill('SIGKILL');
      await exited;
    });
    const db = connectDatabase(nodeRuntime, { socketPath, timeoutMs: 10_000 });
    deferCleanup(() => db.close());
    await waitFor(async () => (await db.ping()).pong, { timeoutMs: 60_000, message: "the executable's driver to answer ping" });
    await vectorSearchSmokeSpec(db);
    const [versionDir] = await readdir(join(dir, 'cache'));
    expect(await readdir(join(dir, 'cache', versionDir!))).toContain(`vec0${process.platform === 'darwin' ? '.dylib' : '.so'}`);
    driver.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });

  it('detects a corrupted or truncated cache file and rewrites it on the next start', async () => {
    const dir = await makeTempDir();
    const cache = join(dir, 'cache');
    // `index` uses both kinds of asset: the addon in its transient driver, the grammars in its parser.
    // A new data directory each time, so the files are parsed again rather than skipped as unchanged.
    const index = (data: string) => run(['index', join(REPO_ROOT, 'test_data/projects/py-sample'), '--data-dir', join(dir, data)], { cwd: dir, cache });
    const first = index('first');
    expect(first.status, first.stderr).toBe(0);
    // Every file parsed: the executable's parser works (a failing one still exits 0, counting the files as failed).
    expect(first.stdout).toMatch(/\b4 indexed, 0 unchanged, 0 removed, 0 failed\b/);
    const [versionDir] = await readdir(cache);
    const addon = join(cache, versionDir!, 'better_sqlite3.node');
    const grammar = join(cache, versionDir!, 'tree-sitter-python.wasm');
    const original = { addon: sha256(await readFile(addon)), grammar: sha256(await readFile(grammar)) };

    await writeFile(addon, 'not an ELF file');
    await writeFile(grammar, (await readFile(grammar)).subarray(0, 100));
    const again = index('again');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/\b4 indexed, 0 unchanged, 0 removed, 0 failed\b/);
    expect(sha256(await readFile(addon))).toBe(original.addon);
    expect(sha256(await readFile(grammar))).toBe(original.grammar);
    const search = run(['search', 'Circle', '--data-dir', join(dir, 'again')], { cwd: dir, cache });
    expect(search.status, search.stderr).toBe(0);
    expect(search.stdout).toMatch(/^class +Circle +\S+shapes\.py:25-38$/m);
  });

  it('survives kill -9 of its driver child: the supervisor starts a new one and /health is back to 200', async () => {
    const dir = await makeTempDir();
    const configFile = join(dir, 'code-analysis.json');
    await writeFile(configFile, JSON.stringify(testConfig({ workers: { maintenance: { enabled: false } } })));
    const serve = nodeRuntime.spawn([EXECUTABLE, 'serve', '--config', configFile], {
      cwd: dir,
      env: { PATH: '', HOME: dir, CODE_ANALYSIS_CACHE_DIR: join(dir, 'cache') },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    let stdout = '';
    void (async () => {
      for await (const chunk of serve.stdout ?? []) stdout += new TextDecoder().decode(chunk);
    })();
    void (async () => {
      for await (const _ of serve.stderr ?? []);
    })();
    let ended = false;
    const exited = serve.exited.then((exit) => ((ended = true), exit));
    deferCleanup(async () => {
      if (!ended) serve.kill('SIGKILL');
      await exited;
    });

    const url = await waitFor(() => /serving (http:\/\/\S+)/.exec(stdout)?.[1], { timeoutMs: 60_000, message: 'serve to print where it listens' });
    const driver = async () => ((await (await fetch(`${url}/status`)).json()) as SupervisorStatus).services.find((service) => service.name === 'driver')!;
    const first = await driver();
    expect(first.state).toBe('running');
    expect(nodeRuntime.kill(first.pid!, 'SIGKILL')).toBe(true);

    const second = await waitFor(
      async () => {
        const now = await driver();
        return now.state === 'running' && now.pid !== first.pid ? now : undefined;
      },
      { timeoutMs: 60_000, message: 'a new driver' },
    );
    expect(second.restarts).toBe(1);
    await waitFor(async () => (await fetch(`${url}/health`)).status === 200, { timeoutMs: 30_000, message: '/health to answer 200 again' });
    expect(ended).toBe(false);

    serve.kill('SIGTERM');
    expect((await exited).code).toBe(0);
    expect(nodeRuntime.isPidAlive(second.pid!)).toBe(false);
  });
});
