/**
 * How close a file is to its project's main code, for ranking search results (issue 12):
 * 0 under `src/` or `lib/`, 2 in tests, examples, docs or benchmarks (by folder or by a
 * test file's name), 1 anywhere else. Stored with each file, so the search orders by it
 * in SQL before its limit applies.
 */
export type PathRank = 0 | 1 | 2;

const MAIN_FOLDERS = new Set(['src', 'lib']);
const ASIDE_FOLDER = /^(tests?|testing|__tests__|[^/]*[_-]tests?|examples?|docs?|benchmarks?|demos?)$/i;
const TEST_FILE = /^(test_[^/]*\.py|[^/]*_test\.py|conftest\.py|[^/]*\.(test|spec)\.[cm]?[jt]sx?)$/i;

export function pathRank(path: string): PathRank {
  const parts = path.split('/');
  const file = parts.pop() ?? '';
  if (TEST_FILE.test(file) || parts.some((folder) => ASIDE_FOLDER.test(folder))) return 2;
  return parts.some((folder) => MAIN_FOLDERS.has(folder)) ? 0 : 1;
}
