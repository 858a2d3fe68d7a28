import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { createSourceParser } from '../../src/analysis/index.ts';
import { expectedSymbols } from '../helpers/expected-symbols.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

const parser = createSourceParser();

/** The files of a project we parse, relative to its root, minus what its .gitignore excludes. */
function sourceFiles(root: string): string[] {
  const gitignore = readdirSync(root).includes('.gitignore') ? readFileSync(join(root, '.gitignore'), 'utf8') : '';
  const ignored = ignore().add(gitignore);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((path) => relative(root, join(root, path)))
    .filter((path) => parser.languageOf(path) !== null && !ignored.ignores(path))
    .sort();
}

describe.each(['py-sample', 'ts-sample'])('test_data/projects/%s', (project) => {
  const root = join(REPO_ROOT, 'test_data/projects', project);
  const expected = expectedSymbols(root);

  it('expected-symbols.json covers exactly the files that are indexed', () => {
    expect([...new Set(expected.map((s) => s.path))].sort()).toEqual(sourceFiles(root));
  });

  it.each(sourceFiles(root))('%s parses to exactly its expected symbols', async (path) => {
    const result = await parser.parse(readFileSync(join(root, path), 'utf8'), parser.languageOf(path)!);
    const actual = result.symbols.map(({ name, kind, qualified_name, parent, line_start, line_end }) => ({ path, name, kind, qualified_name, parent, line_start, line_end }));
    expect(actual).toEqual(expected.filter((s) => s.path === path));
    expect(result.error).toBe(path === 'sample/broken.py' ? 'syntax error at 8:12' : null);
  });
});

it('the ts-sample .gitignore hides its dist/ build output from the index', () => {
  const root = join(REPO_ROOT, 'test_data/projects/ts-sample');
  expect(readdirSync(join(root, 'dist'))).toContain('bundle.js');
  expect(sourceFiles(root).filter((path) => path.startsWith('dist'))).toEqual([]);
});
