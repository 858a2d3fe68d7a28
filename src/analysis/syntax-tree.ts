import type { Node } from 'web-tree-sitter';
import type { SyntaxNode } from './types.ts';

export const DEFAULT_MAX_TREE_NODES = 20_000;

function compact(node: Node): SyntaxNode {
  return {
    type: node.type,
    start: [node.startPosition.row, node.startPosition.column],
    end: [node.endPosition.row, node.endPosition.column],
  };
}

/**
 * The named nodes of a tree, at most `maxNodes` of them. Filled breadth first, so a cut
 * tree still shows the whole file's outline and loses only its deepest detail.
 */
export function compactTree(root: Node, maxNodes: number = DEFAULT_MAX_TREE_NODES): { tree: SyntaxNode; truncated: boolean } {
  const tree = compact(root);
  const queue: Array<[Node, SyntaxNode]> = [[root, tree]];
  let count = 1;
  for (let next = 0; next < queue.length; next++) {
    const [node, out] = queue[next]!;
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (count >= maxNodes) return { tree, truncated: true };
      const item = compact(child);
      (out.children ??= []).push(item);
      queue.push([child, item]);
      count++;
    }
  }
  return { tree, truncated: false };
}

/**
 * `syntax error at line:column` (both 1-based) of the first ERROR or MISSING node, or null.
 * Error recovery may wrap whole statements in an ERROR node; the innermost error inside
 * it is the place to point at.
 */
export function firstSyntaxError(root: Node): string | null {
  if (!root.hasError) return null;
  let node = root;
  for (;;) {
    const inner = node.children.find((child) => child?.hasError || child?.isMissing);
    if (!inner) break;
    node = inner;
  }
  return `syntax error at ${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
}
