import type { Node } from 'web-tree-sitter';
import { type Context, contexts, memberName, NAME_KIND, type Position, type ReferenceRules, table, type WalkVisitor, walkReferences } from './reference-walk.ts';
import type { ParsedReference } from './types.ts';

/** Where a field of a node holds something other than what its parent's context says. */
const FIELDS = table({
  function_definition: { name: 'skip', parameters: 'params', return_type: 'type', type_parameters: 'skip', body: 'load' },
  class_definition: { name: 'skip', type_parameters: 'skip', superclasses: 'load', body: 'load' },
  lambda: { parameters: 'params', body: 'load' },
  keyword_argument: { name: 'skip', value: 'load' },
  assignment: { left: 'store', right: 'load', type: 'type' },
  augmented_assignment: { left: 'store', right: 'load' },
  for_statement: { left: 'store', right: 'load' },
  for_in_clause: { left: 'store', right: 'load' },
  named_expression: { name: 'store', value: 'load' },
  as_pattern: { alias: 'store' },
  call: { function: 'callee', arguments: 'load' },
  case_clause: { guard: 'load', consequence: 'load' },
});

/** Statements whose every child has one context, whatever the parent's. */
const STATEMENTS = contexts({
  import_statement: 'import',
  import_from_statement: 'import',
  future_import_statement: 'import',
  global_statement: 'skip',
  nonlocal_statement: 'skip',
  delete_statement: 'store',
});

/** `a.b.c` outside an import: a name read, then attribute reads. */
const dottedPart = (index: number): Context => (index === 0 ? 'load' : 'attr');

const rules: ReferenceRules = {
  context(position: Position): Context {
    const { parent, context, type, index } = position;
    const statement = STATEMENTS.get(parent);
    if (statement) return statement;
    if (context === 'import') return parent === 'aliased_import' && position.field() === 'alias' ? 'skip' : 'import';
    if (context === 'pattern') return patternContext(parent, type, index, position);
    if (type === 'case_pattern') return 'pattern';
    if (parent === 'type_alias_statement') return aliasPart(index, position.node());
    if (type === 'type' && context !== 'store' && context !== 'params') return 'type';
    // The field only where a rule reads it: asking costs a call into WASM for every node.
    const fields = FIELDS.get(parent);
    const field = fields || parent === 'attribute' || context === 'params' ? position.field() : null;
    const byField = field ? fields?.get(field) : undefined;
    if (byField) return byField;
    switch (parent) {
      case 'attribute':
        // The object is read even when the attribute is assigned (`self.x = 1` reads self).
        if (field === 'object') return context === 'type' ? 'type' : 'load';
        return memberName(context);
      case 'subscript':
        return context === 'type' ? 'type' : 'load';
      case 'dotted_name':
        return context === 'type' ? 'type' : dottedPart(index);
    }
    // In a parameter list only defaults and annotations refer to anything.
    if (context === 'params') return field === 'value' ? 'load' : field === 'type' ? 'type' : 'params';
    // `(f)()`, `f()()`: only a name or an attribute is what is called.
    if (context === 'callee') return type === 'attribute' || type === 'identifier' || type === 'keyword_identifier' ? 'callee' : 'load';
    return context;
  },
  kind(type, context) {
    if (type === 'identifier' || type === 'keyword_identifier') return NAME_KIND[context];
    // Keyword tokens that are names: `from __future__ import …`, `type(obj).attr = …` (see aliasPart).
    if (type === '__future__' && context === 'import') return 'import';
    return type === 'type' && context === 'callee' ? 'call' : null;
  },
};

/**
 * `type X = int` binds X and refers to int. The grammar also reads an assignment like
 * `type(obj).attr = value` as a type alias: there `type` (its keyword token) is called,
 * the target assigned and the value read.
 */
function aliasPart(index: number, node: Node): Context {
  const target = node.parent?.namedChildren[0]?.firstNamedChild?.type;
  const alias = target === 'identifier' || target === 'generic_type';
  if (index === 0) return alias ? 'skip' : 'callee';
  if (index === 1) return 'store';
  return alias ? 'type' : 'load';
}

/**
 * Match patterns bind names (captures) except where they compare with a value: a class
 * pattern's class, a dotted value (`Color.RED`), a guard. A keyword pattern's keyword is
 * an attribute name of the class, not a reference.
 */
function patternContext(parent: string, type: string, index: number, position: Position): Context {
  if (parent === 'class_pattern' && index === 0) return 'load';
  if (parent === 'keyword_pattern' && index === 0) return 'skip';
  if (type === 'dotted_name') return position.node().namedChildCount > 1 ? 'load' : 'skip';
  return 'pattern';
}

/**
 * Every use of a name in a Python module that is not its definition, as CPython's `ast`
 * has them: a `Name` read (`Load`), an `Attribute` read or call (its attribute name), and
 * the names an import statement imports (not the `as` alias it binds). Assignment targets,
 * parameters, `global`/`nonlocal` names and match captures bind names: they are not
 * references.
 */
export function pythonReferences(root: Node, source?: string, also?: WalkVisitor): ParsedReference[] {
  return walkReferences(root, rules, source, also);
}
