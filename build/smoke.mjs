#!/usr/bin/env node
// The executable's smoke test (issue 6, acceptance 2), run by .ci/run after `npm run build`:
// in an empty directory with a PATH holding no node, deno or npx, `serve` on the embedded
// default indexes a --watch directory, `status` and `rpc ping` answer, `mcp` answers a tool
// call over stdio (the SDK's own client), `rpc vector_search` ranks with the embedded
// sqlite-vec, the vectorizer embeds the project and a semantic query answers, and `stop`
// leaves no process, PID or socket file behind; then the onnx provider embeds with the
// embedded ONNX Runtime WASM (a tiny model the tests' helper writes) and a semantic query
// answers. Exit code 0 when it all holds.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { spawnSync } from 'node:child_process';
import { copyFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXECUTABLE, REPO_ROOT } from './paths.mjs';
import { isAlive, processesOf, runToEnd, scratch, serveUrl, start, waitFor } from './lib.mjs';

/** Writes the tests' tiny onnx model (tests/helpers/onnx-model.ts) into the directory named by its argument. */
const WRITE_TINY_MODEL = `
  import { mkdirSync, writeFileSync } from 'node:fs';
  import { join } from 'node:path';
  import { tinyModelFiles } from './tests/helpers/onnx-model.ts';
  const dir = process.argv[1];
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(tinyModelFiles({ dimension: 8 }))) writeFileSync(join(dir, name), bytes);
`;

const dirs = await scratch('ca-smoke-');
const exe = join(dirs.work, 'code-analysis');
await copyFile(EXECUTABLE, exe);
const env = { PATH: dirs.bin, HOME: dirs.home };
const cli = (...args) => runToEnd(exe, args, { cwd: dirs.work, env });
const step = (text) => console.log(`smoke: ${text}`);

const serve = start(exe, ['serve', '--port', '0', '--watch', dirs.project], { cwd: dirs.work, env });
let pids = [serve.pid];
try {
  const url = await serveUrl(serve);
  await waitFor(async () => (await fetch(`${url}/health`)).status === 200, { what: '/health to answer 200' });
  step(`serving ${url}, /health 200`);

  const indexed = await waitFor(
    async () => {
      const status = await (await fetch(`${url}/status`)).json();
      pids = [...new Set([serve.pid, ...status.services.map((service) => service.pid).filter(Number.isInteger)])];
      const projects = status.services.find((service) => service.name === 'worker-indexer')?.details?.projects ?? [];
      return projects.find((project) => project.root === dirs.project && project.state === 'done');
    },
    { what: `the indexer to finish ${dirs.project}` },
  );
  const search = await (await fetch(`${url}/search?q=Circle`)).json();
  assert.ok(
    search.symbols.some((symbol) => symbol.name === 'Circle' && symbol.kind === 'class' && symbol.project === dirs.project),
    `/search?q=Circle does not find the class: ${JSON.stringify(search)}`,
  );
  step(`indexed ${indexed.indexed} files, ${indexed.symbols} symbols; /search finds class Circle`);
  // The driver and the workers are the executable itself, started again (nothing else is on PATH).
  assert.deepEqual((await processesOf(exe)).sort(), [...pids].sort(), 'the processes of the tree are not all the executable');
  step(`serve, driver and workers are all the executable: pids ${pids.join(', ')}`);

  const status = await cli('status');
  assert.equal(status.exit.code, 0, `status failed:\n${status.stdout}${status.stderr}`);
  assert.match(status.stdout, /driver\s+running/);
  const ping = await cli('rpc', 'ping');
  assert.equal(ping.exit.code, 0, `rpc ping failed:\n${ping.stdout}${ping.stderr}`);
  assert.equal(JSON.parse(ping.stdout).pong, true);
  step('status and rpc ping exit 0');

  // The driver's connections load the embedded vec0: a vector_search ranks int8 vectors.
  const rpc = async (method, params) => {
    const call = await cli('rpc', method, JSON.stringify(params));
    assert.equal(call.exit.code, 0, `rpc ${method} failed:\n${call.stdout}${call.stderr}`);
    return JSON.parse(call.stdout);
  };
  const int8 = (vector) => ({ $blob: Buffer.from(Int8Array.from(vector, (x) => Math.round(x * 127)).buffer).toString('base64') });
  const columns = [{ name: 'id', type: 'integer', primary_key: true }, { name: 'v', type: 'blob' }];
  await rpc('create_table', { schema: { name: 'smoke_vectors', columns } });
  await rpc('insert_many', { table_name: 'smoke_vectors', rows: [{ id: 1, v: int8([0, 1]) }, { id: 2, v: int8([1, 0]) }, { id: 3, v: int8([0.6, 0.8]) }] });
  const nearest = await rpc('vector_search', { table: 'smoke_vectors', column: 'v', vector: [0.9, 0.1], limit: 2, columns: ['id'] });
  assert.deepEqual(nearest.data.map((row) => row.id), [2, 3], `vector_search: ${JSON.stringify(nearest)}`);
  step(`rpc vector_search answers the nearest rows: ${JSON.stringify(nearest.data)}`);

  // The vectorizer worker (on by default) embeds the project; a question in words then ranks with its vectors.
  const semantic = await waitFor(
    async () => {
      const answer = await (await fetch(`${url}/search?mode=semantic&q=${encodeURIComponent('draw on a canvas')}`)).json();
      return answer.vectors?.ready ? answer : undefined;
    },
    { what: 'semantic search with the vectors ready' },
  );
  assert.equal(semantic.symbols[0]?.qualified_name, 'Circle.draw', `semantic search: ${JSON.stringify(semantic)}`);
  step(`semantic search answers with vectors ready (${semantic.vectors.projects[0].model_id}): ${semantic.symbols[0].qualified_name} first`);

  // As a desktop client starts it: `code-analysis mcp`, on the running server's driver.
  const mcp = new Client({ name: 'smoke', version: '1.0.0' });
  await mcp.connect(new StdioClientTransport({ command: exe, args: ['mcp'], cwd: dirs.work, env, stderr: 'pipe' }));
  try {
    const answer = await mcp.callTool({ name: 'get_symbol', arguments: { qualified_name: 'Circle.area', project: dirs.project } });
    const symbol = answer.structuredContent?.symbols?.[0];
    assert.ok(!answer.isError && symbol?.source?.includes('def area(self) -> float:'), `get_symbol over stdio: ${JSON.stringify(answer)}`);
    step(`mcp over stdio: get_symbol Circle.area answers ${symbol.path}:${symbol.line_start}-${symbol.line_end} with its source`);
  } finally {
    await mcp.close();
  }

  const stop = await cli('stop');
  assert.equal(stop.exit.code, 0, `stop failed:\n${stop.stdout}${stop.stderr}`);
  assert.equal((await serve.exited).code, 0, `serve did not exit 0:\n${serve.stderr}`);
  await waitFor(() => pids.every((pid) => !isAlive(pid)), { timeoutMs: 10_000, what: `the processes ${pids.join(', ')} to end` });
  assert.deepEqual(await processesOf(exe), [], 'a process of the executable is still running');
  const left = (await readdir(join(dirs.work, 'data/run'))).filter((name) => /\.(pid|sock)$/.test(name));
  assert.deepEqual(left, [], 'PID or socket files left in data/run/');
  step(`stop exit 0; processes ${pids.join(', ')} gone; no PID or socket file left`);

  // The onnx provider inside the executable: ONNX Runtime's embedded WASM runs a tiny model the test's helper writes.
  const modelDir = join(dirs.root, 'onnx-model');
  const write = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WRITE_TINY_MODEL, modelDir], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(write.status, 0, `writing the tiny onnx model failed: ${write.stderr}`);
  await writeFile(join(dirs.work, 'onnx.json'), JSON.stringify({ embeddings: { provider: 'onnx', onnx: { model_dir: modelDir } } }));
  const onnx = ['--config', join(dirs.work, 'onnx.json'), '--data-dir', join(dirs.work, 'onnx-data')];
  const indexed2 = await cli('index', dirs.project, ...onnx);
  assert.equal(indexed2.exit.code, 0, `index for onnx failed:\n${indexed2.stderr}`);
  const embedded = await cli('embed', '--json', ...onnx);
  assert.equal(embedded.exit.code, 0, `embed with onnx failed:\n${embedded.stdout}${embedded.stderr}`);
  const [onnxResult] = JSON.parse(embedded.stdout);
  assert.match(onnxResult.model_id, /^onnx-/, `embed with onnx: ${embedded.stdout}`);
  const asked = await cli('search', 'pool of connections', '--semantic', '--json', ...onnx);
  assert.equal(asked.exit.code, 0, `search --semantic with onnx failed:\n${asked.stderr}`);
  assert.equal(asked.stderr, '', `search --semantic with onnx: the vectors are not ready: ${asked.stderr}`);
  step(`onnx provider in the executable: ${onnxResult.embedded} definitions embedded (${onnxResult.model_id}), search --semantic answers ${JSON.parse(asked.stdout).length} hits`);
  console.log('smoke: PASS');
} catch (error) {
  console.error(`smoke: FAIL: ${error.message}\n--- serve stdout\n${serve.stdout}\n--- serve stderr\n${serve.stderr}`);
  process.exitCode = 1;
} finally {
  for (const pid of [...new Set([...pids, ...(await processesOf(exe))])]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await rm(dirs.root, { recursive: true, force: true });
}
