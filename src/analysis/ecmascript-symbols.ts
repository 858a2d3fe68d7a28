import type { Node } from 'web-tree-sitter';
import {
  boundNames,
  CLASSES,
  declaredName,
  docTarget,
  FIELDS,
  FUNCTION_DECLARATIONS,
  FUNCTION_VALUES,
  importedNames,
  isRequire,
  jsDoc,
} from './ecmascript-syntax.ts';
import { deeperThan, MAX_NESTING, type SymbolExtraction } from './nesting.ts';
import type { ParsedSymbol } from './types.ts';
import { headText, makeSymbol, oneLine, type Scope as NamedScope } from './symbol-text.ts';
import { walkLevels } from './level-walk.ts';
import { openCursor, type WasmCursor } from './wasm-cursor.ts';

/** An enclosing definition, and how many definitions deep it is. */
type Scope = NamedScope & { depth: number };

/**
 * Where the walk goes down next: the named children of the node at the end of `path`
 * (nodes below the cursor's, each a child of the one before; empty: the cursor's own),
 * in `scope`; `members` marks the members of a class body.
 */
type Descent = { path: Node[]; scope: Scope | null; members: boolean };

/** A level the walk went down into: how to read its nodes, its parent's type, and how many steps up lead back. */
type Level = { scope: Scope | null; members: boolean; parent: string; steps: number };

/** Declarations only these nodes make: any other node's children are read in the same scope. */
const DECLARING = new Set(['import_statement', 'variable_declarator', ...CLASSES, ...FUNCTION_DECLARATIONS]);

/** Move the cursor to `target`, a child of its node; an error when it is not one (the walk would lose its place). */
function gotoChild(cursor: WasmCursor, target: Node): void {
  if (cursor.gotoFirstChild()) {
    do {
      if (cursor.isOn(target)) return;
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  throw new Error(`the symbol walk lost its place: no ${target.type} child at ${target.startPosition.row + 1}:${target.startPosition.column + 1}`);
}

/**
 * Classes, functions, methods and imports of a TypeScript, TSX or JavaScript file, in
 * source order. One tree cursor visits the named nodes in order (a node object only for
 * the few that declare something), with an explicit stack: generated code nests thousands
 * deep (long `a + b + …` or call chains), deeper than the JavaScript call stack goes.
 * Definitions nested more than MAX_NESTING deep are left out, with everything inside them.
 */
export function ecmascriptSymbols(root: Node, source: string): SymbolExtraction {
  const symbols: ParsedSymbol[] = [];
  let tooDeep: Node | null = null;
  const add = (name: string, kind: ParsedSymbol['kind'], scope: Scope | null, range: Node, signature: string, doc: Node | null): Scope => {
    const symbol = makeSymbol(name, kind, scope, range, signature, doc ? jsDoc(doc) : null);
    symbols.push(symbol);
    return { qualified_name: symbol.qualified_name, kind, depth: (scope?.depth ?? 0) + 1 };
  };
  /** Whether a definition in `scope` would nest too deep; the first such place is remembered. */
  const tooDeepIn = (scope: Scope | null, node: Node): boolean => {
    if ((scope?.depth ?? 0) < MAX_NESTING) return false;
    tooDeep ??= node;
    return true;
  };
  /** The children of `path`'s last node, read in `scope`; nothing when there is no such node. */
  const into = (path: Array<Node | null>, scope: Scope | null, members = false): Descent | null =>
    path.every((node) => node !== null) ? { path: path as Node[], scope, members } : null;
  /** `node` is the cursor's, or (`path`) below it: the class's body is reached through the same path. */
  const defineClass = (node: Node, path: Node[], name: string, scope: Scope | null, range: Node, prefix = ''): Descent | null => {
    if (tooDeepIn(scope, range)) return null;
    const body = node.childForFieldName('body');
    const inner = add(name, 'class', scope, range, prefix + headText(source, node, body), docTarget(range));
    return into([...path, body], inner, true);
  };
  const defineFunction = (name: string, kind: 'function' | 'method', scope: Scope | null, range: Node, path: Array<Node | null>): Descent | null => {
    if (tooDeepIn(scope, range)) return null;
    const body = path[path.length - 1] ?? null;
    return into(path, add(name, kind, scope, range, headText(source, range, body), docTarget(range)));
  };
  const visitMember = (member: Node, scope: Scope): Descent | null => {
    const name = (member.childForFieldName('name') ?? member.childForFieldName('property'))?.text;
    const value = member.childForFieldName('value');
    if (name && member.type === 'method_definition') return defineFunction(name, 'method', scope, member, [member.childForFieldName('body')]);
    if (name && FIELDS.has(member.type) && value && FUNCTION_VALUES.has(value.type)) {
      return defineFunction(name, 'method', scope, member, [value, value.childForFieldName('body')]);
    }
    return visit(member, scope);
  };
  const visitDeclarator = (declarator: Node, scope: Scope | null): Descent | null => {
    const pattern = declarator.childForFieldName('name');
    const value = declarator.childForFieldName('value');
    const statement = declarator.parent ?? declarator;
    const keyword = statement.child(0)?.type === 'variable_declarator' ? '' : `${statement.child(0)?.text} `;
    if (pattern && value && isRequire(value)) {
      const signature = oneLine(statement.text);
      for (const name of boundNames(pattern)) add(name, 'import', scope, statement, signature, null);
      return null;
    }
    if (pattern?.type === 'identifier' && value && FUNCTION_VALUES.has(value.type)) {
      if (tooDeepIn(scope, declarator)) return null;
      const body = value.childForFieldName('body');
      return into([value, body], add(pattern.text, 'function', scope, declarator, keyword + headText(source, declarator, body), docTarget(declarator)));
    }
    if (pattern?.type === 'identifier' && value?.type === 'class') return defineClass(value, [value], pattern.text, scope, declarator, `${keyword}${pattern.text} = `);
    return into([value], scope);
  };
  /** A node that may declare something (see DECLARING), or a function value exported as default. */
  const visit = (node: Node, scope: Scope | null): Descent | null => {
    const declares = CLASSES.has(node.type) || FUNCTION_DECLARATIONS.has(node.type) || FUNCTION_VALUES.has(node.type);
    const name = declares ? declaredName(node) : null;
    if (node.type === 'import_statement') {
      for (const bound of importedNames(node)) add(bound, 'import', scope, node, oneLine(node.text), null);
      return null;
    }
    if (node.type === 'variable_declarator') return visitDeclarator(node, scope);
    if (name && CLASSES.has(node.type)) return defineClass(node, [], name, scope, node);
    if (name) return defineFunction(name, 'function', scope, node, [node.childForFieldName('body')]);
    return into([], scope);
  };

  const cursor = openCursor(root, source);
  /** Go down to the first child of the descent's node (`type` is the cursor's), or stay where the cursor is when there is none. */
  const follow = (descent: Descent | null, type: string): Level | null => {
    if (!descent) return null;
    const { path, scope, members } = descent;
    for (const node of path) gotoChild(cursor, node);
    const parent = path.length > 0 ? path[path.length - 1]!.type : type;
    if (cursor.gotoFirstChild()) return { scope, members, parent, steps: path.length + 1 };
    for (let step = 0; step < path.length; step++) cursor.gotoParent();
    return null;
  };
  /** A node in its level: only named nodes are read, as in `namedChildren`. */
  const visitNode = ({ scope, members, parent }: Level): Level | null => {
    const typeId = cursor.typeId();
    if (!cursor.named(typeId)) return null;
    const type = cursor.types[typeId] || 'ERROR';
    if (members) return follow(visitMember(cursor.node(), scope!), type);
    if (DECLARING.has(type) || (parent === 'export_statement' && FUNCTION_VALUES.has(type))) return follow(visit(cursor.node(), scope), type);
    // Any other node's children are read in the same scope, with no node object made (most nodes).
    return cursor.gotoFirstChild() ? { scope, members: false, parent: type, steps: 1 } : null;
  };
  try {
    if (cursor.gotoFirstChild()) walkLevels(cursor, { scope: null, members: false, parent: root.type, steps: 1 }, visitNode);
  } finally {
    cursor.delete();
  }
  return { symbols, error: tooDeep && deeperThan(tooDeep) };
}
