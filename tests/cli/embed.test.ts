import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { SEMANTIC_SAMPLE } from '../helpers/semantic-project.ts';
import { makeTempDir } from '../helpers/temp-dir.ts';

it('embed: every project or one, --json, --force embeds everything again, an unknown project is an error naming it', async () => {
  const dir = await makeTempDir();
  const root = join(dir, 'semantic-sample');
  await cp(SEMANTIC_SAMPLE, root, { recursive: true });
  const data = ['--data-dir', join(dir, 'data')];
  expect((await runCli(['index', root, ...data])).code).toBe(0);

  const first = await runCli(['embed', '--project', root, '--json', ...data]);
  expect(first.code).toBe(0);
  const [result] = JSON.parse(first.stdout) as Array<Record<string, unknown>>;
  expect(result).toMatchObject({ root, state: 'ready', provider: 'builtin', symbols: 18, pending: 0, done: 18, error: null });
  // Nothing left to do: nothing embedded again, and no refit.
  const again = JSON.parse((await runCli(['embed', '--json', ...data])).stdout) as Array<Record<string, unknown>>;
  expect(again).toEqual([expect.objectContaining({ state: 'ready', done: 0, model_id: result!.model_id })]);
  const forced = JSON.parse((await runCli(['embed', '--force', '--json', ...data])).stdout) as Array<Record<string, unknown>>;
  expect(forced).toEqual([expect.objectContaining({ state: 'ready', done: 18, model_id: result!.model_id })]);

  const unknown = await runCli(['embed', '--project', join(dir, 'elsewhere'), ...data]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain(`${join(dir, 'elsewhere')} is not an indexed project (index it first: code-analysis index ${join(dir, 'elsewhere')})`);
});

it('embed with an http provider that is down: exit 1, the reason, and nothing claimed embedded', async () => {
  const dir = await makeTempDir();
  const root = join(dir, 'semantic-sample');
  await cp(SEMANTIC_SAMPLE, root, { recursive: true });
  const data = ['--data-dir', join(dir, 'data')];
  expect((await runCli(['index', root, ...data])).code).toBe(0);
  // Nothing listens on port 9 of loopback.
  const config = join(dir, 'code-analysis.json');
  await writeFile(config, JSON.stringify({ embeddings: { provider: 'http', http: { url: 'http://127.0.0.1:9', model: 'm', retries: 0 } } }));
  const failed = await runCli(['embed', '--json', '--config', config, ...data]);
  expect(failed.code, failed.stderr).toBe(1);
  expect(failed.stdout, failed.stderr).not.toBe('');
  expect(JSON.parse(failed.stdout)).toEqual([expect.objectContaining({ root, state: 'failed', embedded: 0, error: expect.stringMatching(/the http embedding provider failed: .*cannot be reached/) })]);
});
