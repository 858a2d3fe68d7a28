import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Runtime } from '../../src/runtime/types.ts';
import type { SupervisorStatus } from '../../src/supervisor/types.ts';
import { waitFor } from '../helpers/wait-for.ts';

async function readAll(stream: AsyncIterable<Uint8Array> | null, into: { text: string }): Promise<void> {
  for await (const chunk of stream ?? []) into.text += new TextDecoder().decode(chunk);
}

/**
 * The server's life under one runtime: `serve` starts driver, workers and HTTP, `/health`
 * answers, `POST /rpc` reaches the driver, a driver killed with -9 is restarted, and
 * `stop` from another process ends everything
 * with exit code 0 and no file or process left. `cli` is how that runtime starts the
 * program; plain node:assert, so vitest and `deno test` run the very same spec.
 */
export async function serveSmokeSpec(runtime: Runtime, cli: string[]): Promise<void> {
  const dir = await runtime.fs.makeTempDir('ca-serve-');
  try {
    const configFile = join(dir, 'code-analysis.json');
    await runtime.fs.writeFileAtomic(
      configFile,
      JSON.stringify({ server: { port: 0 }, supervisor: { health_interval_ms: 200, start_timeout_ms: 60_000 } }),
    );
    const serve = runtime.spawn([...cli, 'serve', '--config', configFile], { cwd: dir, stdout: 'pipe', stderr: 'pipe' });
    const stdout = { text: '' };
    const stderr = { text: '' };
    const output = Promise.all([readAll(serve.stdout, stdout), readAll(serve.stderr, stderr)]);
    let ended = false;
    const exited = serve.exited.then((exit) => {
      ended = true;
      return exit;
    });
    try {
      const url = await waitFor(
        () => {
          if (ended) throw new Error(`serve exited early:\n${stdout.text}\n${stderr.text}`);
          return /serving (http:\/\/\S+)/.exec(stdout.text)?.[1];
        },
        { timeoutMs: 90_000, message: 'serve to print where it listens' },
      );
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, 'ok');

      const ping = await fetch(`${url}/rpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 'smoke', method: 'ping' }),
      });
      assert.deepEqual(((await ping.json()) as { id: string; result: { pong: boolean } }).result.pong, true);

      const status = (await (await fetch(`${url}/status`)).json()) as SupervisorStatus;
      assert.deepEqual(
        status.services.map((service) => [service.name, service.state]),
        [
          ['driver', 'running'],
          ['worker-maintenance', 'running'],
          ['worker-vectorizer', 'running'],
          ['http', 'running'],
        ],
      );
      // A crashed driver is restarted by the supervisor, and the server answers again.
      const driver = status.services[0]!;
      runtime.kill(driver.pid as number, 'SIGKILL');
      const restarted = await waitFor(
        async () => {
          const now = (await (await fetch(`${url}/status`)).json()) as SupervisorStatus;
          const current = now.services.find((service) => service.name === 'driver');
          return current?.state === 'running' && current.pid !== driver.pid ? now : undefined;
        },
        { timeoutMs: 60_000, message: 'the driver to be restarted' },
      );
      assert.equal(restarted.services[0]!.restarts, 1);
      await waitFor(async () => (await fetch(`${url}/health`)).status === 200, { timeoutMs: 30_000, message: '/health 200 after the restart' });
      const pids = restarted.services.map((service) => service.pid as number);

      const stop = runtime.spawn([...cli, 'stop', '--config', configFile], { cwd: dir, stdout: 'pipe', stderr: 'pipe' });
      const stopOut = { text: '' };
      await Promise.all([readAll(stop.stdout, stopOut), readAll(stop.stderr, { text: '' })]);
      assert.equal((await stop.exited).code, 0);
      assert.match(stopOut.text, new RegExp(`stopped code-analysis \\(pid ${serve.pid}\\)`));
      assert.equal((await exited).code, 0, stderr.text);
      for (const pid of pids) assert.equal(runtime.isPidAlive(pid), false, `pid ${pid} is still alive`);
      assert.deepEqual(await runtime.fs.readDir(join(dir, 'data', 'run')), []);
    } finally {
      if (!ended) serve.kill('SIGKILL');
      await exited;
      await output;
    }
  } finally {
    await runtime.fs.rm(dir, { recursive: true });
  }
}
