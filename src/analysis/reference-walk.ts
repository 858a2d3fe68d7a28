import type { Node, TreeCursor } from 'web-tree-sitter';
import type { ParsedReference, ReferenceKind } from './types.ts';

/**
 * What a position in the tree means for the identifiers below it. `load` reads a name,
 * `callee` calls it, `attr` and `call` are the member name of an attribute read or call,
 * `type` is a type position, `import` an imported name; `store` binds or assigns (a
 * definition, not a reference), `params` is a parameter list (bindings, except defaults
 * and annotations), `pattern` a match/destructuring pattern, `skip` holds nothing that
 * references anything.
 */
export type Context = 'load' | 'callee' | 'attr' | 'call' | 'type' | 'import' | 'store' | 'params' | 'pattern' | 'skip';

/** What a plain name (an identifier) makes in each context. */
export const NAME_KIND: Readonly<Record<Context, ReferenceKind | null>> = {
  load: 'name',
  callee: 'call',
  attr: 'attribute',
  call: 'call',
  type: 'type',
  import: 'import',
  store: null,
  params: null,
  pattern: null,
  skip: null,
};

/** Where the walk is: the node's parent, and which child of it the node is. */
export interface Position {
  parent: string;
  /** The parent's context. */
  context: Context;
  field: string | null;
  type: string;
  /** Index among the parent's children (anonymous tokens included). */
  index: number;
  /** The type of the parent's first child (this node's own type when it is the first). */
  first: string;
  cursor: TreeCursor;
}

/** One language's reading of its tree. */
export interface ReferenceRules {
  /** The context of the node at `position`, from its parent's and its place there. */
  context(position: Position): Context;
  /** The kind of reference an identifier-like node of this type makes in this context, or null when it makes none. */
  kind(type: string, context: Context, cursor: TreeCursor): ReferenceKind | null;
}

/** Rules as a Map: a node type or field name like `constructor` must not find Object.prototype's members. */
export function contexts(rules: Record<string, Context>): Map<string, Context> {
  return new Map(Object.entries(rules));
}

/** Rules by node type, then field name, as nested Maps (see contexts). */
export function table(rules: Record<string, Record<string, Context>>): Map<string, Map<string, Context>> {
  return new Map(Object.entries(rules).map(([type, fields]) => [type, contexts(fields)]));
}

/** The name of a member (`obj.name`): called, typed or read as its expression is; assigned, it is no reference. */
export function memberName(context: Context): Context {
  if (context === 'callee') return 'call';
  if (context === 'type') return 'type';
  return context === 'store' || context === 'skip' ? 'skip' : 'attr';
}

type Frame = { type: string; context: Context; index: number; first: string };

/**
 * Every reference in a tree, in source order. Iterates with a tree cursor and an explicit
 * stack, so a deeply nested file cannot overflow the call stack. Positions are 1-based;
 * web-tree-sitter parses the UTF-16 string, so its columns already count UTF-16 units.
 */
export function walkReferences(root: Node, rules: ReferenceRules): ParsedReference[] {
  const references: ParsedReference[] = [];
  const cursor = root.walk();
  const frames: Frame[] = [];
  let context: Context = 'load';
  try {
    for (;;) {
      const type = cursor.nodeType;
      const kind = rules.kind(type, context, cursor);
      if (kind !== null) {
        const { row, column } = cursor.startPosition;
        references.push({ name: cursor.nodeText, line: row + 1, column: column + 1, kind });
      } else if (context !== 'skip' && cursor.gotoFirstChild()) {
        frames.push({ type, context, index: 0, first: cursor.nodeType });
        context = enter(rules, frames, cursor);
        continue;
      }
      for (;;) {
        if (frames.length === 0) return references;
        if (cursor.gotoNextSibling()) {
          frames[frames.length - 1]!.index++;
          context = enter(rules, frames, cursor);
          break;
        }
        cursor.gotoParent();
        frames.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

function enter(rules: ReferenceRules, frames: Frame[], cursor: TreeCursor): Context {
  const parent = frames[frames.length - 1]!;
  return rules.context({ parent: parent.type, context: parent.context, field: cursor.currentFieldName, type: cursor.nodeType, index: parent.index, first: parent.first, cursor });
}
