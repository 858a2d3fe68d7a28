import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.ts';

// DESIGN §2: only src/runtime/ touches process, socket and file-system APIs; only its
// deno.ts touches Deno.*. Everything else reaches them through the Runtime interface.
const FORBIDDEN = /from ['"]node:(child_process|net|fs|fs\/promises|os|process|worker_threads|cluster|dgram)['"]|\bDeno\.|\bprocess\.(env|exit|argv|kill|on)\b/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

it('nothing outside src/runtime/ touches runtime APIs directly', () => {
  const offenders = sources(join(REPO_ROOT, 'src'))
    .map((file) => relative(REPO_ROOT, file))
    .filter((file) => !file.startsWith('src/runtime/'))
    .flatMap((file) =>
      readFileSync(join(REPO_ROOT, file), 'utf8')
        .split('\n')
        .map((line, i) => ({ file, line: i + 1, text: line.trim() }))
        .filter(({ text }) => FORBIDDEN.test(text) && !text.startsWith('//') && !text.startsWith('*')),
    );
  expect(offenders).toEqual([]);
});
