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
import { deeperThan, MAX_NESTING } from './nesting.ts';
import { type SymbolReader, symbolReader } from './symbol-reader.ts';
import { headText, makeSymbol, oneLine, type Scope as NamedScope } from './symbol-text.ts';
import type { ParsedSymbol } from './types.ts';
import type { WasmCursor } from './wasm-cursor.ts';

/** An enclosing definition, and how many definitions deep it is. */
type Scope = NamedScope & { depth: number };

/**
 * What is read below a definition: the named children of the node at the end of `path`
 * (nodes below the definition's, each a child of the one before; empty: its own), in
 * `scope`; `members` marks the members of a class body.
 */
type Descent = { path: Node[]; scope: Scope | null; members: boolean };

/** How a node's children are read: not at all, as nodes of a scope, as members of a class, or as the way to a descent's node. */
type Mode = 'off' | 'nodes' | 'members' | 'path';

/** Declarations only these nodes make: any other node's children are read in the same scope. */
const DECLARING = new Set(['import_statement', 'variable_declarator', ...CLASSES, ...FUNCTION_DECLARATIONS]);

/**
 * Classes, functions, methods and imports of a TypeScript, TSX or JavaScript file, in
 * source order, read while a walk visits the named nodes in order: a node object only for
 * the few that may declare something. Definitions nested more than MAX_NESTING deep are
 * left out, with everything inside them. When the references are wanted too, the walk is
 * theirs: one walk of the tree, not two.
 */
export function ecmascriptSymbolReader(source: string): SymbolReader {
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
  /** `node` is the definition's, or (`path`) below it: the class's body is reached through the same path. */
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

  // By depth, how the walk reads the children of the node it is in (a 'path' level: which descent, and how far along).
  const modes: Mode[] = [];
  const scopes: Array<Scope | null> = [];
  const descents: Array<Descent | null> = [];
  const steps: number[] = [];
  /** Descents begun and not yet at their end: none may be left, or the walk lost its way. */
  let open = 0;
  const set = (depth: number, mode: Mode, scope: Scope | null, descent: Descent | null = null, step = 0): boolean => {
    modes[depth] = mode;
    scopes[depth] = scope;
    descents[depth] = descent;
    steps[depth] = step;
    return mode !== 'off';
  };
  /** The node is `step` nodes along the descent's path: it leads on, or (at the end) its children are read. */
  const follow = (depth: number, descent: Descent | null, step: number): boolean => {
    if (!descent) return set(depth, 'off', null);
    if (step < descent.path.length) {
      if (step === 0) open++;
      return set(depth, 'path', descent.scope, descent, step);
    }
    if (step > 0) open--;
    return set(depth, descent.members ? 'members' : 'nodes', descent.scope);
  };
  const read = (cursor: WasmCursor, depth: number, typeId: number, parent: string): boolean => {
    if (depth === 0) return set(depth, 'nodes', null);
    const above = modes[depth - 1];
    if (above === 'path') {
      // The very node the Node API named (its id and start), not one alike.
      const descent = descents[depth - 1]!;
      const step = steps[depth - 1]!;
      return cursor.isOn(descent.path[step]!) ? follow(depth, descent, step + 1) : set(depth, 'off', null);
    }
    // Only named nodes are read, as in `namedChildren`.
    if (above === 'off' || !cursor.named(typeId)) return set(depth, 'off', null);
    const scope = scopes[depth - 1]!;
    if (above === 'members') return follow(depth, visitMember(cursor.node(), scope!), 0);
    const type = cursor.typeName(typeId);
    if (DECLARING.has(type) || (parent === 'export_statement' && FUNCTION_VALUES.has(type))) return follow(depth, visit(cursor.node(), scope), 0);
    // Any other node's children are read in the same scope, with no node object made (most nodes).
    return set(depth, 'nodes', scope);
  };
  return symbolReader(read, () => {
    if (open !== 0) throw new Error("the symbol walk lost its way: a definition's body was not where its node said");
    return { symbols, error: tooDeep && deeperThan(tooDeep) };
  });
}

