import type { Node } from 'web-tree-sitter';
import type { ParsedReference, ReferenceKind } from './types.ts';
import { openCursor, type WasmCursor } from './wasm-cursor.ts';

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

/**
 * Where the walk is: the node's parent, and which child of it the node is. One object for
 * the whole walk, updated in place: read it during the call, never keep it.
 */
export interface Position {
  parent: string;
  /** The parent's context. */
  context: Context;
  type: string;
  /** Index among the parent's children (anonymous tokens included). */
  index: number;
  /** The type of the parent's first child (this node's own type when it is the first). */
  first: string;
  /** The node's field in its parent: asked only where a rule needs it (each answer crosses into WASM). */
  field(): string | null;
  /** The node's source text. */
  text(): string;
  /** The node itself, for the rare rule that looks around it. */
  node(): Node;
}

/** One language's reading of its tree. */
export interface ReferenceRules {
  /** The context of the node at `position`, from its parent's and its place there. */
  context(position: Position): Context;
  /** The kind of reference an identifier-like node of this type makes in this context, or null when it makes none. */
  kind(type: string, context: Context, position: Position): ReferenceKind | null;
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

/** The position object of a walk, reading from its cursor. */
function positionOn(cursor: WasmCursor): Position {
  return { parent: '', context: 'load', type: '', index: 0, first: '', field: cursor.field, text: cursor.text, node: cursor.node };
}

/**
 * Another reading of the tree on the same walk (the symbols of a file): told of each node
 * the walk enters, with the cursor on it, it may ask for the node's children. The walk
 * goes wherever the references or the visitor need to; where only the visitor does, the
 * children make no references (as if in a `skip` context).
 */
export interface WalkVisitor {
  /** The node `depth` levels below the root (the root is 0), of type `typeId`, below a `parent` node; whether to enter its children (no: it is told of none of its descendants). */
  enter(cursor: WasmCursor, depth: number, typeId: number, parent: string): boolean;
}

/** Rules that find no references: a walk with them goes where its visitor asks, and no further than the root's children. */
export const NO_REFERENCES: ReferenceRules = { context: () => 'skip', kind: () => null };

/**
 * Every reference in a tree, in source order. Iterates with a tree cursor and an explicit
 * stack (parallel arrays, one entry a level), so a deeply nested file cannot overflow the
 * call stack. Positions are 1-based; web-tree-sitter parses the UTF-16 string, so its
 * columns already count UTF-16 units. `source` is the text the tree was parsed from.
 */
export function walkReferences(root: Node, rules: ReferenceRules, source?: string, visitor?: WalkVisitor): ParsedReference[] {
  const references: ParsedReference[] = [];
  const cursor = openCursor(root, source);
  const position = positionOn(cursor);
  // The levels above the cursor: each one's type, context, the cursor's index among its children, and its first child's type.
  const types: string[] = [];
  const contextsAbove: Context[] = [];
  const indexes: number[] = [];
  const firsts: string[] = [];
  // Whether the visitor asked for the children of each level: below a node it declined, it is not told of any.
  const toldAbove: boolean[] = [];
  let depth = 0;
  let context: Context = 'load';
  // The children of a `skip` node are never asked about: nothing below it is a reference.
  const enter = (type: string): Context => {
    if (contextsAbove[depth - 1] === 'skip') return 'skip';
    position.parent = types[depth - 1]!;
    position.context = contextsAbove[depth - 1]!;
    position.type = type;
    position.index = indexes[depth - 1]!;
    position.first = firsts[depth - 1]!;
    return rules.context(position);
  };
  try {
    let typeId = cursor.typeId();
    let type = cursor.typeName(typeId);
    for (;;) {
      position.type = type;
      const kind = context === 'skip' ? null : rules.kind(type, context, position);
      if (kind !== null) {
        const { row, column } = cursor.startPosition();
        references.push({ name: cursor.text(), line: row + 1, column: column + 1, kind });
      }
      const inside = kind === null && context !== 'skip';
      const visited = visitor !== undefined && (depth === 0 || toldAbove[depth - 1]!) && visitor.enter(cursor, depth, typeId, depth > 0 ? types[depth - 1]! : '');
      // A token stored inline has no children: not asking saves a call into WASM on most nodes.
      if ((inside || visited) && !cursor.childless() && cursor.gotoFirstChild()) {
        types[depth] = type;
        toldAbove[depth] = visited;
        // A reference's own children (an identifier has none) are read by the visitor only.
        contextsAbove[depth] = inside ? context : 'skip';
        indexes[depth] = 0;
        typeId = cursor.typeId();
        type = cursor.typeName(typeId);
        firsts[depth] = type;
        depth++;
        context = enter(type);
        continue;
      }
      for (;;) {
        if (depth === 0) return references;
        if (cursor.gotoNextSibling()) {
          indexes[depth - 1] = indexes[depth - 1]! + 1;
          typeId = cursor.typeId();
          type = cursor.typeName(typeId);
          context = enter(type);
          break;
        }
        cursor.gotoParent();
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}
