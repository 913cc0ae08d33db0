import { type KindToNodeMappings, Node, type ObjectLiteralExpression, type SourceFile, type SyntaxKind } from 'ts-morph';

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

function propertyName(property: Node): string | undefined {
  if (Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) || Node.isMethodDeclaration(property)) {
    const nameNode = property.getNameNode();
    if (Node.isIdentifier(nameNode)) return nameNode.getText();
    if (Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode)) return nameNode.getLiteralText();
  }
  return undefined;
}

/** The callee as one line (`http.get`), for messages. */
export function calleeName(call: Node & { getExpression(): Node }): string {
  return call.getExpression().getText().replace(/\s+/gu, '');
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
