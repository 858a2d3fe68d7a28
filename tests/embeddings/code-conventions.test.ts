import { expect, it } from 'vitest';
import { isPrivateName, isTestPath, PRIVATE_PRIOR, rankingPrior, TEST_PRIOR } from '../../src/embeddings/code-conventions.ts';

it('knows test code by its usual places and names', () => {
  const tests = ['test/test_json.py', 'Lib/tests/util.py', 'idlelib/idle_test/htest.py', 'src/__tests__/a.ts', 'spec/router.js', 'test_shutil.py', 'pkg/foo_test.py', 'conftest.py', 'src/app.test.ts', 'web/a.spec.jsx', 'a.test.mjs'];
  const library = ['testing.py', 'unittest/case.py', 'contest.py', 'src/latest/a.py', 'helper/testing/index.js', 'attest.js', 'src/test-utils.ts', 'protest_test_x/a.py'];
  expect(tests.filter((path) => !isTestPath(path))).toEqual([]);
  expect(library.filter(isTestPath)).toEqual([]);
});

it('knows private names by convention, not dunder methods', () => {
  expect(['_helper', '__mangled', '#field'].every(isPrivateName)).toBe(true);
  expect(['__init__', 'public', 'Snake_case'].some(isPrivateName)).toBe(false);
});

it('multiplies the priors', () => {
  expect(rankingPrior({ path: 'json/decoder.py', name: 'raw_decode' })).toBe(1);
  expect(rankingPrior({ path: 'test/test_json.py', name: 'check' })).toBe(TEST_PRIOR);
  expect(rankingPrior({ path: 'test/test_json.py', name: '_check' })).toBeCloseTo(TEST_PRIOR * PRIVATE_PRIOR);
});
