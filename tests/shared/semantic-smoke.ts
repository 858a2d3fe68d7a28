import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Runtime } from '../../src/runtime/types.ts';
import { runCommand } from '../helpers/run-command.ts';

const run = (runtime: Runtime, command: string[], cwd: string) => runCommand(runtime, command, { cwd });

/**
 * Semantic search under one runtime, as a user runs it without a server: `index` a project
 * (test_data/projects/semantic-sample, copied), `search --semantic` before any vectors (the
 * full-text ranking and a note on stderr), `embed` (progress on stderr), then the same
 * question again: the vectors take part and no note is printed. Plain node:assert, so
 * vitest and `deno test` run the very same spec.
 */
export async function semanticSmokeSpec(runtime: Runtime, cli: string[], sample: string): Promise<void> {
  const dir = await runtime.fs.makeTempDir('ca-semantic-');
  try {
    const root = join(dir, 'semantic-sample');
    await runtime.fs.mkdir(join(root, 'lib'), { recursive: true });
    for (const name of await runtime.fs.readDir(join(sample, 'lib'))) {
      await runtime.fs.writeFileAtomic(join(root, 'lib', name), await runtime.fs.readBytes(join(sample, 'lib', name)));
    }
    const flags = ['--data-dir', join(dir, 'data')];
    const indexed = await run(runtime, [...cli, 'index', root, ...flags], dir);
    assert.equal(indexed.code, 0, indexed.stderr);
    const question = 'pool which limits how many connections are open';
    const before = await run(runtime, [...cli, 'search', question, '--semantic', '--json', ...flags], dir);
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stderr, /note: vectors are not ready .*no builtin embedding model yet/);
    assert.equal((JSON.parse(before.stdout) as Array<{ qualified_name: string }>)[0]!.qualified_name, 'ConnectionPool');

    const embedded = await run(runtime, [...cli, 'embed', ...flags], dir);
    assert.equal(embedded.code, 0, embedded.stderr);
    assert.match(embedded.stderr, /100% 18\/18 \(ready, 18 embedded now\)/);
    assert.match(embedded.stdout, /ready, 18 embedded now; \d+ of 18 definitions with a vector/);

    const after = await run(runtime, [...cli, 'search', question, '--semantic', '--json', ...flags], dir);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stderr, '');
    const hits = JSON.parse(after.stdout) as Array<Record<string, unknown>>;
    // Today's JSON fields, no more.
    assert.deepEqual(Object.keys(hits[0]!), ['name', 'kind', 'qualified_name', 'path', 'line_start', 'line_end']);
    assert.deepEqual(hits[0], { name: 'ConnectionPool', kind: 'class', qualified_name: 'ConnectionPool', path: 'lib/pool.py', line_start: 4, line_end: 16 });
  } finally {
    await runtime.fs.rm(dir, { recursive: true });
  }
}
