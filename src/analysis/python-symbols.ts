import type { Node } from 'web-tree-sitter';
import { deeperThan, MAX_NESTING, type SymbolExtraction } from './nesting.ts';
import type { ParsedSymbol } from './types.ts';
import { headText, joinTrimmed, makeSymbol, oneLine, type Scope } from './symbol-text.ts';
import { walkLevels } from './level-walk.ts';
import { openCursor, type WasmCursor } from './wasm-cursor.ts';

// Definitions and imports are statements, so only statement containers are walked.
const CONTAINERS = new Set([
  'block',
  'if_statement',
  'elif_clause',
  'else_clause',
  'for_statement',
  'while_statement',
  'try_statement',
  'except_clause',
  'except_group_clause',
  'finally_clause',
  'with_statement',
  'match_statement',
  'case_clause',
]);

const IMPORTS = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/** A level the walk went down into: the definition around it, its indentation depth, and how many steps up lead back. */
type Level = { scope: Scope | null; depth: number; steps: number };

/** Move the cursor to the child in `field`; when there is none it stays where it was. */
function gotoField(cursor: WasmCursor, field: string): boolean {
  if (!cursor.gotoFirstChild()) return false;
  do {
    if (cursor.field() === field) return true;
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return false;
}

/**
 * Classes, functions, methods and imports of a Python module, in source order. The walk
 * is one tree cursor (no recursion, and a node object only for what becomes a symbol), and
 * stops at MAX_NESTING levels of blocks (CPython itself refuses more than 100 levels of
 * indentation): what is nested deeper is left out and reported.
 */
export function pythonSymbols(root: Node, source: string): SymbolExtraction {
  const symbols: ParsedSymbol[] = [];
  let tooDeep: Node | null = null;
  const cursor = openCursor(root, source);
  /** Go down to the first statement of a definition's body; how many steps that took, or 0 (cursor unmoved). */
  const gotoBody = (decorated: boolean): number => {
    let steps = 0;
    const undo = () => {
      for (; steps > 0; steps--) cursor.gotoParent();
      return 0;
    };
    if (decorated) {
      if (!gotoField(cursor, 'definition')) return 0;
      steps++;
    }
    if (!gotoField(cursor, 'body')) return undo();
    steps++;
    if (!cursor.gotoFirstChild()) return undo();
    return steps + 1;
  };
  // `range` is the decorated definition when there are decorators: they belong to the symbol.
  const define = (definition: Node, range: Node, scope: Scope | null, depth: number): Level | null => {
    const name = definition.childForFieldName('name')?.text;
    if (!name) return null;
    const body = definition.childForFieldName('body');
    const isClass = definition.type === 'class_definition';
    const kind = isClass ? 'class' : scope?.kind === 'class' ? 'method' : 'function';
    const signature = headText(source, definition, body).replace(/\s*:$/, '');
    const symbol = makeSymbol(name, kind, scope, range, signature, body ? docstring(body) : null);
    symbols.push(symbol);
    if (!body) return null;
    if (depth + 1 >= MAX_NESTING) {
      tooDeep ??= body;
      return null;
    }
    const steps = gotoBody(range !== definition);
    return steps ? { scope: { qualified_name: symbol.qualified_name, kind: symbol.kind }, depth: depth + 1, steps } : null;
  };
  /** A statement in its level: a definition or import is a symbol; a definition's body or a container's statements are a level down. */
  const visit = ({ scope, depth }: Level): Level | null => {
    const type = cursor.type();
    if (type === 'decorated_definition') {
      const node = cursor.node();
      const definition = node.childForFieldName('definition');
      return definition && define(definition, node, scope, depth);
    }
    if (type === 'class_definition' || type === 'function_definition') {
      const node = cursor.node();
      return define(node, node, scope, depth);
    }
    if (IMPORTS.has(type)) {
      const node = cursor.node();
      for (const name of importedNames(node)) symbols.push(makeSymbol(name, 'import', scope, node, oneLine(node.text), null));
    } else if (CONTAINERS.has(type)) {
      // A block is one level of indentation; the clauses around it add none.
      const inside = type === 'block' ? depth + 1 : depth;
      if (inside >= MAX_NESTING) tooDeep ??= cursor.node();
      else if (cursor.gotoFirstChild()) return { scope, depth: inside, steps: 1 };
    }
    return null;
  };
  try {
    if (cursor.gotoFirstChild()) walkLevels(cursor, { scope: null, depth: 0, steps: 1 }, visit);
  } finally {
    cursor.delete();
  }
  return { symbols, error: tooDeep && deeperThan(tooDeep) };
}

/** The names an import statement binds: the alias, else the (dotted) name; `*` for a wildcard. */
function importedNames(statement: Node): string[] {
  const names: string[] = [];
  for (let i = 0; i < statement.childCount; i++) {
    const child = statement.child(i);
    if (child?.type === 'wildcard_import') names.push('*');
    if (!child || statement.fieldNameForChild(i) !== 'name') continue;
    names.push(child.type === 'aliased_import' ? (child.childForFieldName('alias')?.text ?? child.text) : child.text);
  }
  return names;
}

/** The first statement of a body when it is a plain string literal, cleaned like `inspect.cleandoc`. */
function docstring(body: Node): string | null {
  // Sibling steps, not namedChildren: a class body's statements are not all needed to find its first.
  let first = body.firstNamedChild;
  while (first?.type === 'comment') first = first.nextNamedSibling;
  if (first?.type !== 'expression_statement' || first.namedChildCount !== 1) return null;
  const literal = first.firstNamedChild;
  if (literal?.type !== 'string') return null;
  const match = /^([rRuU]*)("""|'''|"|')([\s\S]*)\2$/.exec(literal.text);
  return match ? cleanDoc(match[3]!) : null;
}

export function cleanDoc(text: string): string | null {
  const lines = text.split(/\r?\n/).map(expandTabs);
  // A loop, not Math.min(...lines): spreading a huge docstring's lines would overflow the stack.
  let margin = Number.POSITIVE_INFINITY;
  for (const line of lines.slice(1)) if (line.trim() !== '') margin = Math.min(margin, line.length - line.trimStart().length);
  const cleaned = lines.map((line, i) => (i === 0 ? line.trimStart() : line.slice(Number.isFinite(margin) ? margin : 0)));
  return joinTrimmed(cleaned);
}

/** Tabs to the next multiple of 8 columns, as Python's `str.expandtabs`. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  return line.replace(/[^\t]*\t/g, (chunk) => chunk.slice(0, -1) + ' '.repeat(8 - ((chunk.length - 1) % 8)));
}
