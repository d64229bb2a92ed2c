// The rows the span tree shows: a pre-order walk that skips the children of collapsed nodes.

import type { SpanNode, SpanTree } from './span-tree.js';

export function flattenVisibleRows(tree: SpanTree, collapsed: ReadonlySet<string>): SpanNode[] {
  const rows: SpanNode[] = [];
  const stack: SpanNode[] = [];
  for (let index = tree.roots.length - 1; index >= 0; index--) stack.push(tree.roots[index]!);
  while (stack.length > 0) {
    const node = stack.pop()!;
    rows.push(node);
    if (collapsed.has(node.spanId)) continue;
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
  }
  return rows;
}

/** Ids of every ancestor of `node`, nearest first. */
export function ancestorIds(node: SpanNode): string[] {
  const ids: string[] = [];
  for (let parent = node.parent; parent !== null; parent = parent.parent) ids.push(parent.spanId);
  return ids;
}

/** A copy of `collapsed` with the ancestors of `node` expanded, so that node is visible. */
export function revealNode(collapsed: ReadonlySet<string>, node: SpanNode): Set<string> {
  const next = new Set(collapsed);
  for (const id of ancestorIds(node)) next.delete(id);
  return next;
}

