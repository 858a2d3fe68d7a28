import { describe, expect, it } from 'vitest';
import type { Node } from 'web-tree-sitter';
import type { Language } from '../../src/analysis/types.ts';
import { openCursor } from '../../src/analysis/wasm-cursor.ts';
import { emscriptenModule, withTree } from '../helpers/grammar.ts';

/** What moves a cursor: web-tree-sitter's TreeCursor and ours alike. */
interface Moves {
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/** Every node in walk order, each described by `describe` (given its depth) while the cursor is on it. */
function walk(cursor: Moves, describe: (depth: number) => string): string[] {
  const seen: string[] = [];
  let depth = 0;
  for (;;) {
    seen.push(describe(depth));
    if (cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (depth > 0 && !cursor.gotoNextSibling()) {
      cursor.gotoParent();
      depth--;
    }
    if (depth === 0) return seen;
  }
}

/** As web-tree-sitter's own cursor describes each node. */
function publicWalk(root: Node): string[] {
  const cursor = root.walk();
  try {
    return walk(
      cursor,
      (depth) =>
        `${depth} ${cursor.nodeType}#${cursor.nodeTypeId} ${cursor.currentFieldName}#${cursor.currentFieldId} ${cursor.startIndex}-${cursor.endIndex} ${JSON.stringify(cursor.startPosition)} ${JSON.stringify(cursor.nodeText)} ${cursor.currentNode.id}`,
    );
  } finally {
    cursor.delete();
  }
}

/** The same through the WASM cursor; `source` given, or read from the root. */
function wasmWalk(root: Node, source?: string): string[] {
  const cursor = openCursor(root, source);
  try {
    return walk(
      cursor,
      (depth) =>
        `${depth} ${cursor.type()}#${cursor.typeId()} ${cursor.field()}#${cursor.fieldId()} ${cursor.startIndex()}-${cursor.endIndex()} ${JSON.stringify(cursor.startPosition())} ${JSON.stringify(cursor.text())} ${cursor.node().id}`,
    );
  } finally {
    cursor.delete();
  }
}

const SOURCES: Array<[Language, string]> = [
  ['python', "\n\n  # leading comment\ns = 'héllo😀' + foo.bar\nnaïve: T = ünïcode(x=[1, *y])\nclass K(B):\n    def m(self): return self.v\n"],
  ['python', 'def f(:\n    return (\n'],
  ['python', `x = ${'('.repeat(3000)}deep${')'.repeat(3000)}\n`],
  ['tsx', 'import { a as b } from "m";\nconst el = <Counter value={n} />;\nexport class C<T> extends D implements E { #p = 1; m(): T { return this.#p as T; } }\n'],
  ['javascript', `const z = ${'['.repeat(2000)}${']'.repeat(2000)};\n`],
];

describe('openCursor', () => {
  it.each(SOURCES)('walks a %s tree exactly as web-tree-sitter’s TreeCursor does', async (language, source) => {
    const { ours, theirs } = await withTree(language, source, (node) => ({ ours: wasmWalk(node, source), theirs: publicWalk(node) }));
    expect(ours.length).toBeGreaterThan(5);
    expect(ours).toEqual(theirs);
  });

  it('reads the text from the root when no source is given, wherever the root starts', async () => {
    const source = '\n\n   # only a comment before\nvalue = other\n';
    const [withSource, fromRoot, start] = await withTree('python', source, (node) => [wasmWalk(node, source), wasmWalk(node), node.startIndex] as const);
    expect(start).toBeGreaterThan(0);
    expect(fromRoot).toEqual(withSource);
  });

  it('fails naming itself and the version it was written for when a tree keeps its address elsewhere', async () => {
    const thrown = await withTree('python', 'x = 1\n', (root) => {
      const tree = root.tree as unknown as Record<0, unknown>;
      const address = tree[0];
      tree[0] = undefined;
      try {
        return catchMessage(() => openCursor(root));
      } finally {
        tree[0] = address;
      }
    });
    expect(thrown).toMatch(/^web-tree-sitter's internals are not those the tree walk reads \(src\/analysis\/wasm-cursor\.ts, written for web-tree-sitter 0\.25\.10\): a tree or a cursor/);
  });

  it('fails, not reads wrong nodes, when a WASM function of the same name answers something else', async () => {
    const thrown = await withTree('python', 'x = 1\n', (root) => {
      const module = emscriptenModule(root.tree.language);
      const startIndex = module._ts_tree_cursor_start_index_wasm;
      module._ts_tree_cursor_start_index_wasm = module._ts_tree_cursor_end_index_wasm;
      try {
        return catchMessage(() => openCursor(root));
      } finally {
        module._ts_tree_cursor_start_index_wasm = startIndex;
      }
    });
    expect(thrown).toMatch(/internals are not those the tree walk reads .* on the root the cursor reads \{"typeId":\d+,"startIndex":6,/);
  });
});

function catchMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

