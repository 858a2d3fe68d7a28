import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createSourceParser, defaultGrammarFiles } from '../../src/analysis/index.ts';
import { nodeRuntime } from '../../src/runtime/node.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

// Its own file so that the WASM core of web-tree-sitter is not started yet (vitest loads
// modules afresh per file): a core that cannot be read must not stay broken for good.
it('a missing tree-sitter.wasm rejects the parse, and a later parser with the right file starts the core', async () => {
  const { grammar } = defaultGrammarFiles();
  const read: string[] = [];
  const readBytes = (path: string) => {
    read.push(path);
    return nodeRuntime.fs.readBytes(path);
  };
  const missing = createSourceParser({ grammars: { core: join(REPO_ROOT, 'no-such-dir/tree-sitter.wasm'), grammar }, readBytes });
  await expect(missing.parse('x = 1\n', 'python')).rejects.toThrow(/no-such-dir/);

  const core = join(REPO_ROOT, 'node_modules/web-tree-sitter/tree-sitter.wasm');
  const working = createSourceParser({ grammars: { core, grammar }, readBytes });
  const result = await working.parse('def f(): pass\n', 'python');
  expect(result.symbols.map((s) => s.name)).toEqual(['f']);
  // Both files came through the runtime, each once.
  expect(read).toEqual([join(REPO_ROOT, 'no-such-dir/tree-sitter.wasm'), core, join(REPO_ROOT, 'node_modules/tree-sitter-wasms/out/tree-sitter-python.wasm')]);
  await working.parse('y = 2\n', 'python');
  expect(read).toHaveLength(3);
});
