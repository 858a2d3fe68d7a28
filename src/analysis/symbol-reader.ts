import type { Node } from 'web-tree-sitter';
import type { SymbolExtraction } from './nesting.ts';
import { NO_REFERENCES, type WalkVisitor, walkReferences } from './reference-walk.ts';

/** The symbols of a file, read on a walk of its tree (see WalkVisitor). */
export interface SymbolReader extends WalkVisitor {
  /** What was found, once the walk is done; throws what stopped the reading. */
  result(): SymbolExtraction;
}

/**
 * A reader made of its step (`read`, told of each node as `enter` is) and of what it
 * found once the walk is done (`found`). A step that throws stops the reading, not the
 * walk: the references read on, and `result()` throws why the symbols stopped.
 */
export function symbolReader(read: WalkVisitor['enter'], found: () => SymbolExtraction): SymbolReader {
  let failure: unknown = null;
  return {
    enter(cursor, depth, typeId, parent) {
      if (failure !== null) return false;
      try {
        return read(cursor, depth, typeId, parent);
      } catch (error) {
        failure = error;
        return false;
      }
    },
    result() {
      if (failure !== null) throw failure;
      return found();
    },
  };
}

/** The symbols alone: a walk that goes only where `reader` reads. */
export function readSymbols(root: Node, source: string, reader: SymbolReader): SymbolExtraction {
  walkReferences(root, NO_REFERENCES, source, reader);
  return reader.result();
}
