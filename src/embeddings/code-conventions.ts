/**
 * What code says about itself by convention: which files are tests and which names are
 * private. The builtin model learns its space from the rest (tests repeat the library's
 * words in their own idiom), and the hybrid ranking puts both a little lower (a question
 * in words asks for the API, then for its tests and helpers).
 */

// A directory named test(s), __tests__, spec(s) or *_test(s) (CPython's idle_test), a
// test_*.py / *_test.py / conftest.py module, a *.test.* / *.spec.* script.
const TEST_PATH =
  /(^|\/)(tests?|__tests__|specs?|[a-z0-9]+_tests?)\/|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$|\.(test|spec)\.[cm]?[jt]sx?$/;

/** Whether a file (relative path, '/' separators) holds test code by the usual conventions. */
export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

/** A private name by convention: `_helper` (Python), `#field` (JavaScript); `__dunder__` methods are not private. */
export function isPrivateName(name: string): boolean {
  return (name.startsWith('_') && !/^__.+__$/.test(name)) || name.startsWith('#');
}

/** How much test code and private names are worth against the rest, at equal relevance (chosen on the labelled queries). */
export const TEST_PRIOR = 0.5;
export const PRIVATE_PRIOR = 0.7;

/** The hybrid ranking's prior of a definition (HybridOptions.prior). */
export function rankingPrior(symbol: { path: string; name: string }): number {
  return (isTestPath(symbol.path) ? TEST_PRIOR : 1) * (isPrivateName(symbol.name) ? PRIVATE_PRIOR : 1);
}
