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

// DESIGN §2 and STYLE: imports run downward. The driver, the workers and what they stand on
// never import the layers above them (cli/, server/, supervisor/), and db/ (the client-side
// database layer) never imports analysis/ (which stands on it).
const LOWER = ['driver', 'queue', 'ipc', 'runtime', 'config', 'db', 'analysis', 'workers', 'tools', 'mcp'];
const UPWARD = /from ['"](?:\.\.\/)+(cli|server|supervisor)\//;

it('imports run downward: lower layers (the code tools and MCP included) never import cli/, server/ or supervisor/, db/ never imports analysis/', () => {
  const offenders = sources(join(REPO_ROOT, 'src'))
    .map((file) => relative(REPO_ROOT, file))
    .filter((file) => LOWER.some((folder) => file.startsWith(`src/${folder}/`)))
    .flatMap((file) =>
      readFileSync(join(REPO_ROOT, file), 'utf8')
        .split('\n')
        .map((line, i) => ({ file, line: i + 1, text: line.trim() }))
        .filter(({ text }) => UPWARD.test(text) || (file.startsWith('src/db/') && /from ['"]\.\.\/analysis\//.test(text))),
    );
  expect(offenders).toEqual([]);
});
