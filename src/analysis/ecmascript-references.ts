import type { Node } from 'web-tree-sitter';
import { type Context, contexts, memberName, NAME_KIND, type Position, type ReferenceRules, table, type WalkVisitor, walkReferences } from './reference-walk.ts';
import type { ParsedReference, ReferenceKind } from './types.ts';

type Fields = Record<string, Context>;

const FUNCTION: Fields = { name: 'skip', parameters: 'store', return_type: 'type', body: 'load' };
const CLASS: Fields = { name: 'skip', body: 'load' };
const SIGNATURE: Fields = { name: 'skip', parameters: 'store', return_type: 'type' };
const FIELD: Fields = { name: 'skip', property: 'skip', type: 'type', value: 'load' };

/**
 * Where a field of a node holds something other than what its parent's context says:
 * the names declarations bind (`skip`, `store`), their annotations (`type`), and what
 * they evaluate (`load`).
 */
const FIELDS = table({
  function_declaration: FUNCTION,
  generator_function_declaration: FUNCTION,
  function_expression: FUNCTION,
  function: FUNCTION,
  generator_function: FUNCTION,
  function_signature: SIGNATURE,
  method_definition: FUNCTION,
  method_signature: SIGNATURE,
  abstract_method_signature: SIGNATURE,
  arrow_function: { parameter: 'store', parameters: 'store', return_type: 'type', body: 'load' },
  class_declaration: CLASS,
  abstract_class_declaration: CLASS,
  class: CLASS,
  public_field_definition: FIELD,
  field_definition: FIELD,
  property_signature: FIELD,
  index_signature: { name: 'skip', type: 'type' },
  // `name`: a labelled tuple member (`[url: string]`).
  required_parameter: { pattern: 'store', name: 'skip', type: 'type', value: 'load' },
  optional_parameter: { pattern: 'store', name: 'skip', type: 'type', value: 'load' },
  type_parameter: { name: 'skip', constraint: 'type', value: 'type' },
  mapped_type_clause: { name: 'skip' },
  interface_declaration: { name: 'skip', body: 'type' },
  type_alias_declaration: { name: 'skip', value: 'type' },
  enum_declaration: { name: 'skip', body: 'load' },
  enum_body: { name: 'skip' },
  enum_assignment: { name: 'skip', value: 'load' },
  internal_module: { name: 'skip', body: 'load' },
  module: { name: 'skip', body: 'load' },
  variable_declarator: { name: 'store', type: 'type', value: 'load' },
  assignment_expression: { left: 'store', right: 'load' },
  augmented_assignment_expression: { left: 'store', right: 'load' },
  assignment_pattern: { left: 'store', right: 'load' },
  object_assignment_pattern: { left: 'store', right: 'load' },
  pair_pattern: { key: 'skip', value: 'store' },
  pair: { key: 'skip', value: 'load' },
  for_in_statement: { left: 'store', right: 'load', body: 'load' },
  catch_clause: { parameter: 'store', body: 'load' },
  call_expression: { function: 'callee', arguments: 'load', type_arguments: 'type' },
  // `as const`: TypeScript does not type a literal's `constructor` member from its context.
  new_expression: { constructor: 'callee' as const, arguments: 'load', type_arguments: 'type' },
  subscript_expression: { object: 'load', index: 'load' },
  import_specifier: { alias: 'skip' },
  export_specifier: { alias: 'skip' },
  labeled_statement: { label: 'skip', body: 'load' },
});

/** Nodes whose whole content has one context wherever they are. */
const NODES = contexts({
  computed_property_name: 'load',
  type_annotation: 'type',
  type_arguments: 'type',
  implements_clause: 'type',
  extends_type_clause: 'type',
  import_statement: 'import',
  namespace_import: 'skip',
  namespace_export: 'skip',
  jsx_closing_element: 'skip',
  jsx_namespace_name: 'skip',
});

/** The parts of `a.b`: the object is read (a type in `typeof a.b`), the member named; `import.meta` is syntax, not a member. */
function memberPart(field: string | null, context: Context, object: string): Context {
  if (field === 'object') return context === 'type' ? 'type' : 'load';
  return object === 'import' ? 'skip' : memberName(context);
}

/** Only a member name gets these contexts (memberPart): declared and literal keys are skipped or plain loads. */
const MEMBER_KIND: Record<Context, ReferenceKind | null> = {
  attr: 'attribute',
  call: 'call',
  type: 'type',
  load: null,
  callee: null,
  import: null,
  store: null,
  params: null,
  pattern: null,
  skip: null,
};

const rules: ReferenceRules = {
  context(position: Position): Context {
    const { parent, context, type, index, first } = position;
    const fixed = NODES.get(type);
    if (fixed) return fixed;
    if (parent === 'member_expression' || parent === 'nested_identifier') return memberPart(position.field(), context, first);
    // `infer U` declares U; `import X = a.b` imports X (and reads a.b).
    if (parent === 'infer_type' && index === 1) return 'skip';
    if (parent === 'import_alias') return index === 1 ? 'import' : 'load';
    // The field only where a rule reads it: asking costs a call into WASM for every node.
    const fields = FIELDS.get(parent);
    const jsxName = parent === 'jsx_opening_element' || parent === 'jsx_self_closing_element';
    const field = fields || jsxName ? position.field() : null;
    const byField = field ? fields?.get(field) : undefined;
    if (byField) return byField;
    // A re-export (`export { a } from './m'`) imports; a local export (`export { a }`) reads a name.
    if (type === 'export_clause') return position.node().parent?.childForFieldName('source') ? 'import' : 'load';
    if (jsxName && field === 'name') {
      // `<Counter />` uses the component Counter; `<div>` is an element name, not a binding.
      return type !== 'identifier' || /^[A-Z]/.test(position.text()) ? 'callee' : 'skip';
    }
    if (context === 'callee') return type === 'member_expression' || type === 'identifier' ? 'callee' : 'load';
    return context;
  },
  kind(type, context, position) {
    switch (type) {
      case 'identifier':
        return NAME_KIND[context];
      case 'shorthand_property_identifier':
      case 'undefined':
        return context === 'load' ? 'name' : null;
      case 'type_identifier':
        // The grammar has no predefined type `bigint`: it is not a name of anything.
        return context === 'store' || context === 'skip' || position.text() === 'bigint' ? null : 'type';
      case 'private_property_identifier':
        // `#field in obj` reads it as a name; as a member name it is one like any other.
        return context === 'load' ? 'name' : MEMBER_KIND[context];
      case 'property_identifier':
        return MEMBER_KIND[context];
      default:
        return null;
    }
  },
};

/**
 * Every use of a name in a TypeScript, TSX or JavaScript file that is not its definition:
 * calls (`f()`, `obj.f()`, `new C()`, `<Component />`), member reads (`obj.f`), imported
 * names (`import { f }`, a default import's name, re-exports), type references, and other
 * reads of a name. Declarations, parameters, assignment and destructuring targets,
 * object-literal keys and labels are not references.
 */
export function ecmascriptReferences(root: Node, source?: string, also?: WalkVisitor): ParsedReference[] {
  return walkReferences(root, rules, source, also);
}
