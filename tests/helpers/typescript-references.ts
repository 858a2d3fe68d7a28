import ts from 'typescript';

export type TsReference = [name: string, line: number, column: number, kind: string];

/**
 * The independent count for the ECMAScript references tests: the TypeScript compiler's own
 * parser (not tree-sitter) and its AST's notion of declarations. Every identifier use that
 * is not a definition, as [name, line, column, kind] (1-based, UTF-16 columns). Kind: what
 * a call, `new` or tagged template calls (and a JSX component) is `call`; a member name
 * otherwise `attribute`; an imported name `import`; anything in a type position `type`;
 * else `name`. Definitions: declared names, parameters, binding patterns, object-literal
 * keys, assignment targets, labels, aliases (`as x`).
 */
export function typescriptReferences(fileName: string, text: string): TsReference[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : /\.[mc]?ts$/.test(fileName) ? ts.ScriptKind.TS : ts.ScriptKind.JSX;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const found: TsReference[] = [];
  const pending: ts.Node[] = [source];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      const what = classify(node);
      if (what) {
        const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push([node.text, line + 1, character + 1, what]);
      }
    }
    ts.forEachChild(node, (child) => {
      pending.push(child);
    });
  }
  return found;
}

type Kind = 'call' | 'attribute' | 'import' | 'type' | 'name' | null;

const DECLARATION_NAME = [
  ts.isVariableDeclaration,
  ts.isFunctionDeclaration,
  ts.isFunctionExpression,
  ts.isClassDeclaration,
  ts.isClassExpression,
  ts.isInterfaceDeclaration,
  ts.isTypeAliasDeclaration,
  ts.isEnumDeclaration,
  ts.isEnumMember,
  ts.isModuleDeclaration,
  ts.isMethodDeclaration,
  ts.isMethodSignature,
  ts.isPropertyDeclaration,
  ts.isPropertySignature,
  ts.isGetAccessorDeclaration,
  ts.isSetAccessorDeclaration,
  ts.isParameter,
  ts.isTypeParameterDeclaration,
  ts.isPropertyAssignment,
  ts.isBindingElement,
  ts.isNamespaceImport,
  ts.isNamespaceExport,
  ts.isNamedTupleMember,
  ts.isJsxAttribute,
] as Array<(node: ts.Node) => node is ts.Node & { name?: ts.Node; propertyName?: ts.Node }>;

function classify(id: ts.Identifier | ts.PrivateIdentifier): Kind {
  const parent = id.parent;
  if (ts.isImportClause(parent) || ts.isImportEqualsDeclaration(parent)) return parent.name === id ? 'import' : inType(id);
  if (ts.isImportSpecifier(parent)) return id === parent.propertyName || !parent.propertyName ? 'import' : null;
  if (ts.isExportSpecifier(parent)) {
    const reexport = parent.parent.parent.moduleSpecifier !== undefined;
    return id === parent.propertyName || !parent.propertyName ? (reexport ? 'import' : 'name') : null;
  }
  if (DECLARATION_NAME.some((is) => is(parent) && (parent.name === id || parent.propertyName === id))) return null;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return null;
  if (ts.isMetaProperty(parent)) return null;
  if (ts.isJsxClosingElement(parent)) return null;
  if ((ts.isJsxOpeningElement(parent) || ts.isJsxSelfClosingElement(parent)) && parent.tagName === id) return /^[A-Z]/.test(id.text) ? 'call' : null;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) {
    if (isWriteTarget(parent)) return null;
    if (isCallee(parent)) return 'call';
    return inType(id) ?? 'attribute';
  }
  // `a.b.C` outside a type (`import X = a.b.C`): a name, then members.
  if (ts.isQualifiedName(parent) && parent.right === id) return inType(id) ?? 'attribute';
  if (ts.isShorthandPropertyAssignment(parent) && parent.name === id) return isWriteTarget(parent.parent) ? null : 'name';
  if (isWriteTarget(id)) return null;
  if (isCallee(id)) return 'call';
  return inType(id) ?? 'name';
}

/** `f()`, `new f()`, f`…`, and a JSX tag that is a member expression (`<a.B />`). */
function isCallee(node: ts.Node): boolean {
  const parent = node.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === node) return true;
  if (ts.isTaggedTemplateExpression(parent) && parent.tag === node) return true;
  return (ts.isJsxOpeningElement(parent) || ts.isJsxSelfClosingElement(parent)) && parent.tagName === node;
}

/** Whether an expression is assigned to: the left of `=`/`+=`…, a destructuring target, a for-in/of variable. */
function isWriteTarget(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isParenthesizedExpression(parent) || ts.isNonNullExpression(parent)) return isWriteTarget(parent);
  if (ts.isBinaryExpression(parent)) {
    const assigns = parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
    return assigns && parent.left === node;
  }
  if (ts.isArrayLiteralExpression(parent) || ts.isSpreadElement(parent) || ts.isSpreadAssignment(parent)) return isWriteTarget(parent);
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) return isWriteTarget(parent.parent);
  if (ts.isShorthandPropertyAssignment(parent)) return parent.name === node && isWriteTarget(parent.parent);
  if (ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node)) return false;
  return (ts.isForInStatement(parent) || ts.isForOfStatement(parent)) && parent.initializer === node;
}

/** `type` when the identifier stands in a type position (an annotation, a type argument, implements…). */
function inType(node: ts.Node): 'type' | null {
  for (let current = node; current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isExpressionWithTypeArguments(current) && ts.isHeritageClause(parent)) {
      // `class A extends B` names a value; `implements I` and an interface's `extends` name types.
      return parent.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(parent.parent) ? null : 'type';
    }
    // A computed key (`[KEY]: T`) is a value even inside a type.
    if (ts.isComputedPropertyName(current)) return null;
    if (ts.isTypeNode(current) && !ts.isExpressionWithTypeArguments(current)) return 'type';
    if (ts.isStatement(parent) || ts.isExpressionStatement(parent) || ts.isSourceFile(parent)) return null;
  }
  return null;
}
