// What each command initialises when it starts. The bundle holds every command, and in it
// a module is initialised once code that runs imports it statically: a command's start
// pays for its static import closure, from src/main.ts and from the command's own file.
// Heavy libraries that only other commands need must stay behind dynamic imports.
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.ts';

/** What no one-shot command that only talks to a driver may load at start. */
const HEAVY = [
  'node_modules/web-tree-sitter/',
  'node_modules/tree-sitter-wasms/',
  'node_modules/@modelcontextprotocol/',
  'node_modules/onnxruntime-web/',
  'node_modules/@huggingface/',
  'node_modules/postgres/',
  'node_modules/hono/',
  'node_modules/@hono/',
  'node_modules/sqlite-vec/',
  // The full entry point detects terminals and CI at import; the logger uses consola/core.
  'node_modules/consola/dist/index.mjs',
];

let inputs: Metafile['inputs'];

beforeAll(async () => {
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'src/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    outdir: join(REPO_ROOT, 'build/out/lazy-modules-check'),
    logLevel: 'silent',
  });
  inputs = result.metafile.inputs;
}, 60_000);

/** The modules initialised by starting from `roots`: import statements and require calls, not import(). */
function staticClosure(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    if (seen.has(path)) continue;
    const input = inputs[path];
    if (!input) throw new Error(`${path} is not in the bundle`);
    seen.add(path);
    for (const edge of input.imports) if (!edge.external && edge.kind !== 'dynamic-import') queue.push(edge.path);
  }
  return seen;
}

/** Every process loads the entry point and, on Node, the runtime adapter; then its command. */
const startOf = (command?: string) =>
  staticClosure(['src/main.ts', 'src/runtime/node.ts', ...(command ? [`src/cli/commands/${command}.ts`] : [])]);

const heavyIn = (modules: Set<string>) => [...modules].filter((path) => HEAVY.some((heavy) => path.startsWith(heavy)));

describe('start-up initialises only what the command needs', () => {
  it('--version and the entry point load none of the heavy libraries', () => {
    const modules = startOf();
    expect(modules.has('src/runtime/logger.ts')).toBe(true);
    expect(heavyIn(modules)).toEqual([]);
  });

  it.each(['search', 'rpc', 'status', 'stop', 'driver'])('%s loads none of the heavy libraries', (command) => {
    const modules = startOf(command);
    expect(modules.has(`src/cli/commands/${command}.ts`)).toBe(true);
    expect(heavyIn(modules)).toEqual([]);
  });

  it('a command reached only through import() is not initialised by another', () => {
    expect(startOf('search').has('src/cli/commands/serve.ts')).toBe(false);
    expect(startOf('search').has('src/supervisor/supervisor.ts')).toBe(false);
  });
});
