import { type Expression, type KindToNodeMappings, Node, type ObjectLiteralExpression, type SourceFile, SyntaxKind, VariableDeclarationKind } from 'ts-morph';

/** Strips what does not change the value: parentheses, `as`, `satisfies`, `!`, `<T>x`. */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    if (
      Node.isParenthesizedExpression(current) ||
      Node.isAsExpression(current) ||
      Node.isSatisfiesExpression(current) ||
      Node.isNonNullExpression(current) ||
      Node.isTypeAssertion(current)
    ) {
      current = current.getExpression();
    } else {
      return current;
    }
  }
}

/** The smallest node spanning exactly `[start, end)`, or the smallest one containing it. */
export function nodeAtRange(sourceFile: SourceFile, start: number, end: number): Node | undefined {
  let node: Node | undefined = sourceFile.getDescendantAtPos(start);
  let containing: Node | undefined;
  while (node && !Node.isSourceFile(node)) {
    if (node.getStart() === start && node.getEnd() === end) {
      // Several nodes can share a span (an expression statement and its call): keep climbing to the outermost
      // expression with that span, which is what ESLint reports.
      let outer: Node = node;
      for (let parent = outer.getParent(); parent && parent.getStart() === start && parent.getEnd() === end; parent = parent.getParent()) {
        if (Node.isExpressionStatement(parent)) break;
        outer = parent;
      }
      return outer;
    }
    if (!containing && node.getStart() <= start && node.getEnd() >= end) containing = node;
    node = node.getParent();
  }
  return containing;
}

/** The property named `name` in an object literal, written as `name: v`, `'name': v`, `name` or a method. */
export function findProperty(object: ObjectLiteralExpression, name: string): Node | undefined {
  return object.getProperties().find((property) => propertyName(property) === name);
}

export function propertyName(property: Node): string | undefined {
  if (Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) || Node.isMethodDeclaration(property)) {
    const nameNode = property.getNameNode();
    if (Node.isIdentifier(nameNode)) return nameNode.getText();
    if (Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode)) return nameNode.getLiteralText();
  }
  return undefined;
}

/** An expression that can be read twice with no side effect: `init`, `options.request`, `this.init`. */
export function isRepeatable(node: Node): boolean {
  const inner = unwrap(node);
  if (Node.isIdentifier(inner) || Node.isThisExpression(inner)) return true;
  if (Node.isPropertyAccessExpression(inner)) return isRepeatable(inner.getExpression());
  return false;
}

/** `null`, `undefined` or `void 0`: a signal or timeout that is no value at all. */
export function isNullish(node: Node): boolean {
  const inner = unwrap(node);
  return (
    Node.isNullLiteral(inner) ||
    (Node.isIdentifier(inner) && inner.getText() === 'undefined') ||
    (Node.isVoidExpression(inner) && Node.isNumericLiteral(inner.getExpression()))
  );
}

/** The values that turn a timer off, as written in source. */
const DISABLING_TEXT = /^(?:0|0\.0*|0n|false|null|undefined|void 0|Infinity|Number\.POSITIVE_INFINITY)$/u;

/** `0`, `Infinity`, `false`, `null`, `undefined`: a timeout value that switches the timer off. */
export function isDisablingValue(node: Node): boolean {
  return DISABLING_TEXT.test(unwrap(node).getText());
}

/** The callee as one line (`http.get`), for messages. */
export function calleeName(call: Node & { getExpression(): Node }): string {
  return call.getExpression().getText().replace(/\s+/gu, '');
}

/** The object literal a `const` in this file is initialised with, when `node` names one. */
export function constObjectLiteral(node: Node): ObjectLiteralExpression | undefined {
  const inner = unwrap(node);
  if (!Node.isIdentifier(inner)) return undefined;
  const declaration = findVariable(inner.getSourceFile(), inner.getText());
  if (!declaration) return undefined;
  const list = declaration.getParent();
  if (!Node.isVariableDeclarationList(list) || list.getDeclarationKind() !== VariableDeclarationKind.Const) return undefined;
  const initializer = declaration.getInitializer();
  const value = initializer ? unwrap(initializer) : undefined;
  return value && Node.isObjectLiteralExpression(value) ? value : undefined;
}

/**
 * Every node of one kind in the file, in source order, computed once per parsed file: the transforms ask per
 * site, and walking the whole file per site made fixing a large file quadratic (a 500 kB file with 42 sites
 * spent 11 of its 27 s here). Keyed by the compiler's node, which is new for every parse, so an edit or a new
 * text never reads a stale list.
 */
const kindIndex = new WeakMap<object, Map<SyntaxKind, readonly Node[]>>();

export function descendantsOfKind<Kind extends SyntaxKind>(sourceFile: SourceFile, kind: Kind): readonly KindToNodeMappings[Kind][] {
  let byKind = kindIndex.get(sourceFile.compilerNode);
  if (!byKind) {
    byKind = new Map();
    kindIndex.set(sourceFile.compilerNode, byKind);
  }
  let nodes = byKind.get(kind);
  if (!nodes) {
    nodes = sourceFile.getDescendantsOfKind(kind);
    byKind.set(kind, nodes);
  }
  return nodes as readonly KindToNodeMappings[Kind][];
}

/** The first variable declaration of `name` in the file (no scope analysis: the rule already resolved it). */
export function findVariable(sourceFile: SourceFile, name: string) {
  return descendantsOfKind(sourceFile, SyntaxKind.VariableDeclaration).find(
    (declaration) => Node.isIdentifier(declaration.getNameNode()) && declaration.getName() === name,
  );
}

/** Whether reading `.signal` on `expression` may hit `undefined` (an optional parameter, a `T | undefined`). */
export function mayBeUndefined(expression: Node): boolean {
  const inner = unwrap(expression);
  if (!Node.isIdentifier(inner)) return false;
  const name = inner.getText();
  const functionLike = inner.getFirstAncestor((ancestor) => Node.isFunctionLikeDeclaration(ancestor));
  const parameter =
    functionLike && 'getParameters' in functionLike
      ? functionLike.getParameters().find((candidate) => candidate.getName() === name)
      : undefined;
  if (parameter) return parameter.hasQuestionToken() || /\bundefined\b/u.test(parameter.getTypeNode()?.getText() ?? '');
  const variable = findVariable(inner.getSourceFile(), name);
  return /\bundefined\b/u.test(variable?.getTypeNode()?.getText() ?? '');
}

export type { Expression };
