import type { Node } from 'web-tree-sitter';
import { deeperThan, MAX_NESTING } from './nesting.ts';
import type { ParsedSymbol } from './types.ts';
import { headText, joinTrimmed, makeSymbol, oneLine, type Scope } from './symbol-text.ts';
import { type SymbolReader, symbolReader } from './symbol-reader.ts';
import type { WasmCursor } from './wasm-cursor.ts';

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

/** How a node's children are read: not at all, as statements of a level, or as the way from a definition to its body. */
type Mode = 'off' | 'statements' | 'decorated' | 'definition';

/** A level of statements: the definition around it, and its indentation depth. */
type Level = { scope: Scope | null; depth: number };

/**
 * Classes, functions, methods and imports of a Python module, in source order, read while
 * a walk visits its nodes: only statements are read (definitions and imports are
 * statements), with a node object only for what becomes a symbol. Blocks nested more than
 * MAX_NESTING deep (CPython itself refuses more than 100 levels of indentation) are left
 * out, and reported. When the references are wanted too, the walk is theirs: one walk of
 * the tree, not two.
 */
export function pythonSymbolReader(source: string): SymbolReader {
  const symbols: ParsedSymbol[] = [];
  let tooDeep: Node | null = null;
  // `range` is the decorated definition when there are decorators: they belong to the symbol.
  const define = (definition: Node, range: Node, { scope, depth }: Level): Level | null => {
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
    return { scope: { qualified_name: symbol.qualified_name, kind: symbol.kind }, depth: depth + 1 };
  };

  // By depth, how the walk reads the children of the node it is in, and their level.
  const modes: Mode[] = [];
  const levels: Array<Level | null> = [];
  const set = (depth: number, mode: Mode, level: Level | null = null): boolean => {
    modes[depth] = mode;
    levels[depth] = level;
    return mode !== 'off';
  };
  /** A statement in its level: a definition or import is a symbol; a definition's body or a container's statements are a level down. */
  const statement = (cursor: WasmCursor, depth: number, type: string, level: Level): boolean => {
    if (type === 'decorated_definition') {
      const node = cursor.node();
      const definition = node.childForFieldName('definition');
      const inner = definition && define(definition, node, level);
      return set(depth, inner ? 'decorated' : 'off', inner);
    }
    if (type === 'class_definition' || type === 'function_definition') {
      const node = cursor.node();
      const inner = define(node, node, level);
      return set(depth, inner ? 'definition' : 'off', inner);
    }
    if (IMPORTS.has(type)) {
      const node = cursor.node();
      for (const name of importedNames(node)) symbols.push(makeSymbol(name, 'import', level.scope, node, oneLine(node.text), null));
    } else if (CONTAINERS.has(type)) {
      // A block is one level of indentation; the clauses around it add none.
      const inside = type === 'block' ? level.depth + 1 : level.depth;
      if (inside < MAX_NESTING) return set(depth, 'statements', { scope: level.scope, depth: inside });
      tooDeep ??= cursor.node();
    }
    return set(depth, 'off');
  };
  const read = (cursor: WasmCursor, depth: number, typeId: number): boolean => {
    if (depth === 0) return set(depth, 'statements', { scope: null, depth: 0 });
    const above = modes[depth - 1];
    const level = levels[depth - 1]!;
    switch (above) {
      case 'statements':
        return statement(cursor, depth, cursor.typeName(typeId), level);
      case 'decorated':
        return set(depth, cursor.field() === 'definition' ? 'definition' : 'off', level);
      case 'definition':
        return set(depth, cursor.field() === 'body' ? 'statements' : 'off', level);
      default:
        return set(depth, 'off');
    }
  };
  return symbolReader(read, () => ({ symbols, error: tooDeep && deeperThan(tooDeep) }));
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
