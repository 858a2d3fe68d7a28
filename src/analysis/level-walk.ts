import type { WasmCursor } from './wasm-cursor.ts';

/** A level a walk went down into: how many steps up lead back to the node it went down from. */
export interface WalkLevel {
  steps: number;
}

/**
 * Visit the nodes of `first` (the cursor on its first node) and of every level `visit`
 * goes down into, in source order, with one cursor and an explicit stack (no recursion:
 * generated code nests deeper than the call stack goes). `visit` reads the node under the
 * cursor in its level; it may move the cursor down to the first node of a new level and
 * return it, or return null and leave the cursor where it was.
 */
export function walkLevels<Level extends WalkLevel>(cursor: WasmCursor, first: Level, visit: (level: Level) => Level | null): void {
  const levels = [first];
  while (levels.length > 0) {
    const inner = visit(levels[levels.length - 1]!);
    if (inner) {
      levels.push(inner);
      continue;
    }
    // The next node: a sibling, or the sibling of a level already walked.
    while (!cursor.gotoNextSibling()) {
      const done = levels.pop();
      if (!done || levels.length === 0) break;
      for (let step = 0; step < done.steps; step++) cursor.gotoParent();
    }
  }
}
