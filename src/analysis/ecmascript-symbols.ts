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

/** An enclosing definition, and how many definitions deep it is. */
type Scope = NamedScope & { depth: number };

/** A node still to visit; `member` marks the direct children of a class body. */
type Task = { node: Node; scope: Scope | null; member: false } | { node: Node; scope: Scope; member: true };

/**
 * Classes, functions, methods and imports of a TypeScript, TSX or JavaScript file, in
 * source order. The walk keeps its own stack: generated code nests thousands deep
 * (long `a + b + …` or call chains), deeper than the JavaScript call stack goes.
 * Definitions nested more than MAX_NESTING deep are left out, with everything inside them.
 */
export function ecmascriptSymbols(root: Node, source: string): SymbolExtraction {
  const symbols: ParsedSymbol[] = [];
  const pending: Task[] = [];
  let tooDeep: Node | null = null;
  const schedule = (node: Node | null, scope: Scope | null): void => {
    const children = node?.namedChildren ?? [];
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) pending.push({ node: child, scope, member: false });
    }
  };
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
  const defineClass = (node: Node, name: string, scope: Scope | null, range: Node, prefix = ''): void => {
    if (tooDeepIn(scope, range)) return;
    const body = node.childForFieldName('body');
    const inner = add(name, 'class', scope, range, prefix + headText(source, node, body), docTarget(range));
    const members = body?.namedChildren ?? [];
    for (let i = members.length - 1; i >= 0; i--) {
      const member = members[i];
      if (member) pending.push({ node: member, scope: inner, member: true });
    }
  };
  const defineFunction = (name: string, kind: 'function' | 'method', scope: Scope | null, range: Node, body: Node | null): void => {
    if (tooDeepIn(scope, range)) return;
    schedule(body, add(name, kind, scope, range, headText(source, range, body), docTarget(range)));
  };
  const visitMember = (member: Node, scope: Scope): void => {
    const name = (member.childForFieldName('name') ?? member.childForFieldName('property'))?.text;
    const value = member.childForFieldName('value');
    if (name && member.type === 'method_definition') {
      defineFunction(name, 'method', scope, member, member.childForFieldName('body'));
    } else if (name && FIELDS.has(member.type) && value && FUNCTION_VALUES.has(value.type)) {
      defineFunction(name, 'method', scope, member, value.childForFieldName('body'));
    } else {
      visit(member, scope);
    }
  };
  const visitDeclarator = (declarator: Node, scope: Scope | null): void => {
    const pattern = declarator.childForFieldName('name');
    const value = declarator.childForFieldName('value');
    const statement = declarator.parent ?? declarator;
    const keyword = statement.child(0)?.type === 'variable_declarator' ? '' : `${statement.child(0)?.text} `;
    if (pattern && value && isRequire(value)) {
      const signature = oneLine(statement.text);
      for (const name of boundNames(pattern)) add(name, 'import', scope, statement, signature, null);
    } else if (pattern?.type === 'identifier' && value && FUNCTION_VALUES.has(value.type)) {
      if (tooDeepIn(scope, declarator)) return;
      const body = value.childForFieldName('body');
      schedule(body, add(pattern.text, 'function', scope, declarator, keyword + headText(source, declarator, body), docTarget(declarator)));
    } else if (pattern?.type === 'identifier' && value?.type === 'class') {
      defineClass(value, pattern.text, scope, declarator, `${keyword}${pattern.text} = `);
    } else {
      schedule(value, scope);
    }
  };
  const visit = (node: Node, scope: Scope | null): void => {
    const declares = CLASSES.has(node.type) || FUNCTION_DECLARATIONS.has(node.type) || FUNCTION_VALUES.has(node.type);
    const name = declares ? declaredName(node) : null;
    if (node.type === 'import_statement') {
      for (const bound of importedNames(node)) add(bound, 'import', scope, node, oneLine(node.text), null);
    } else if (node.type === 'variable_declarator') {
      visitDeclarator(node, scope);
    } else if (name && CLASSES.has(node.type)) {
      defineClass(node, name, scope, node);
    } else if (name) {
      defineFunction(name, 'function', scope, node, node.childForFieldName('body'));
    } else {
      schedule(node, scope);
    }
  };
  schedule(root, null);
  for (let task = pending.pop(); task; task = pending.pop()) {
    if (task.member) visitMember(task.node, task.scope);
    else visit(task.node, task.scope);
  }
  return { symbols, error: tooDeep && deeperThan(tooDeep) };
}
