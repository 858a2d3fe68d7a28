import type { Node } from 'web-tree-sitter';
import { joinTrimmed } from './symbol-text.ts';

export const CLASSES = new Set(['class_declaration', 'abstract_class_declaration', 'class']);
export const FUNCTION_DECLARATIONS = new Set(['function_declaration', 'generator_function_declaration']);
export const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
export const FIELDS = new Set(['public_field_definition', 'field_definition']);

/** The names an ESM or `import x = require()` statement binds; the module itself for a side-effect import. */
export function importedNames(statement: Node): string[] {
  const names: string[] = [];
  for (const part of statement.namedChildren) {
    if (part?.type === 'import_require_clause') names.push(part.namedChildren[0]?.text ?? '');
    if (part?.type !== 'import_clause') continue;
    for (const binding of part.namedChildren) {
      if (binding?.type === 'identifier') names.push(binding.text);
      if (binding?.type === 'namespace_import') names.push(binding.namedChildren[0]?.text ?? '');
      for (const specifier of binding?.type === 'named_imports' ? binding.namedChildren : []) {
        const bound = specifier?.childForFieldName('alias') ?? specifier?.childForFieldName('name');
        if (bound) names.push(bound.text);
      }
    }
  }
  const source = statement.childForFieldName('source')?.text.slice(1, -1);
  return names.length === 0 && source !== undefined ? [source] : names.filter((name) => name !== '');
}

/** A declaration's own name; `default` for an anonymous `export default class/function`. */
export function declaredName(node: Node): string | null {
  const name = node.childForFieldName('name')?.text;
  if (name && !FUNCTION_VALUES.has(node.type)) return name;
  return node.parent?.type === 'export_statement' ? (name ?? 'default') : null;
}

/** `require('module')`, the CommonJS import. */
export function isRequire(value: Node): boolean {
  if (value.type !== 'call_expression' || value.childForFieldName('function')?.text !== 'require') return false;
  return value.childForFieldName('arguments')?.namedChildren[0]?.type === 'string';
}

/** Identifiers a destructuring pattern binds. */
export function boundNames(pattern: Node): string[] {
  switch (pattern.type) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      return [pattern.text];
    case 'pair_pattern':
      return bindingsOf(pattern.childForFieldName('value'));
    case 'object_assignment_pattern':
    case 'assignment_pattern':
      return bindingsOf(pattern.childForFieldName('left'));
    default:
      return pattern.namedChildren.flatMap((child) => (child ? boundNames(child) : []));
  }
}

function bindingsOf(pattern: Node | null): string[] {
  return pattern ? boundNames(pattern) : [];
}

/** The statement a JSDoc comment stands before: the declaration, or the `export` around it. */
export function docTarget(node: Node): Node {
  const declaration = node.type === 'variable_declarator' ? (node.parent ?? node) : node;
  return declaration.parent?.type === 'export_statement' ? declaration.parent : declaration;
}

/** The `/** … *\/` comment right before `target` (no blank line between), without its markers. */
export function jsDoc(target: Node): string | null {
  const comment = target.previousNamedSibling;
  if (comment?.type !== 'comment' || !comment.text.startsWith('/**')) return null;
  if (comment.endPosition.row < target.startPosition.row - 1) return null;
  const lines = comment.text
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split(/\r?\n/)
    .map((line, i) => (i === 0 ? line.trim() : line.replace(/^\s*\* ?/, '').trimEnd()));
  return joinTrimmed(lines);
}
