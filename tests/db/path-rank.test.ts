import { expect, it } from 'vitest';
import { pathRank } from '../../src/db/path-rank.ts';

it.each([
  ['src/app/engine.py', 0],
  ['lib/sqlalchemy/engine/create.py', 0],
  ['packages/core/src/index.ts', 0],
  ['engine.py', 1],
  ['json/decoder.py', 1],
  ['tools/build.ts', 1],
  ['tests/test_engine.py', 2],
  ['test/test_json/test_decode.py', 2],
  ['src/app/tests/helpers.py', 2],
  ['idlelib/idle_test/test_run.py', 2],
  ['src/app/test_engine.py', 2],
  ['src/app/engine_test.py', 2],
  ['src/conftest.py', 2],
  ['src/app/engine.test.ts', 2],
  ['src/app/engine.spec.tsx', 2],
  ['src/__tests__/engine.ts', 2],
  ['examples/basic.py', 2],
  ['docs/conf.py', 2],
  ['doc/source/conf.py', 2],
  ['benchmarks/run.py', 2],
  ['src/contest.py', 0],
  ['latest/module.py', 1],
])('pathRank(%s) is %i', (path, rank) => {
  expect(pathRank(path)).toBe(rank);
});
