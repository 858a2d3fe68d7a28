import type { Node } from 'web-tree-sitter';
import type { ParsedSymbol } from './types.ts';
import { headText, joinTrimmed, makeSymbol, oneLine, type Scope } from './symbol-text.ts';

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

/** Classes, functions, methods and imports of a Python module, in source order. */
export function pythonSymbols(root: Node, source: string): ParsedSymbol[] {
  const symbols: ParsedSymbol[] = [];
  const visit = (node: Node, scope: Scope | null): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'decorated_definition') {
        const definition = child.childForFieldName('definition');
        if (definition) define(definition, child, scope);
      } else if (child.type === 'class_definition' || child.type === 'function_definition') {
        define(child, child, scope);
      } else if (IMPORTS.has(child.type)) {
        for (const name of importedNames(child)) {
          symbols.push(makeSymbol(name, 'import', scope, child, oneLine(child.text), null));
        }
      } else if (CONTAINERS.has(child.type)) {
        visit(child, scope);
      }
    }
  };
  // `range` is the decorated definition when there are decorators: they belong to the symbol.
  const define = (definition: Node, range: Node, scope: Scope | null): void => {
    const name = definition.childForFieldName('name')?.text;
    const body = definition.childForFieldName('body');
    if (!name) return;
    const isClass = definition.type === 'class_definition';
    const kind = isClass ? 'class' : scope?.kind === 'class' ? 'method' : 'function';
    const signature = headText(source, definition, body).replace(/\s*:$/, '');
    const symbol = makeSymbol(name, kind, scope, range, signature, body ? docstring(body) : null);
    symbols.push(symbol);
    if (body) visit(body, { qualified_name: symbol.qualified_name, kind: symbol.kind });
  };
  visit(root, null);
  return symbols;
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
  const first = body.namedChildren.find((child) => child?.type !== 'comment');
  if (first?.type !== 'expression_statement' || first.namedChildCount !== 1) return null;
  const literal = first.namedChildren[0];
  if (literal?.type !== 'string') return null;
  const match = /^([rRuU]*)("""|'''|"|')([\s\S]*)\2$/.exec(literal.text);
  return match ? cleanDoc(match[3]!) : null;
}

export function cleanDoc(text: string): string | null {
  const lines = text.split(/\r?\n/).map(expandTabs);
  const margin = Math.min(
    ...lines
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => line.length - line.trimStart().length),
  );
  const cleaned = lines.map((line, i) => (i === 0 ? line.trimStart() : line.slice(Number.isFinite(margin) ? margin : 0)));
  return joinTrimmed(cleaned);
}

/** Tabs to the next multiple of 8 columns, as Python's `str.expandtabs`. */
function expandTabs(line: string): string {
  return line.replace(/[^\t]*\t/g, (chunk) => chunk.slice(0, -1) + ' '.repeat(8 - ((chunk.length - 1) % 8)));
}
