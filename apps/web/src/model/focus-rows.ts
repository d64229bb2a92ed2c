// The span tree narrowed to a set of spans (an agent-graph node's spans, a finding's spans):
// those spans and their ancestors, in tree pre-order, so each keeps its context. Collapsed
// state is ignored while focused: a focused span must never hide inside a folded parent.

import type { SpanNode, SpanTree } from './span-tree.js';

export function flattenFocusedRows(tree: SpanTree, focusIds: ReadonlySet<string>): SpanNode[] {
  const keep = new Set<string>();
  for (const id of focusIds) {
    for (let node = tree.byId.get(id) ?? null; node !== null && !keep.has(node.spanId); node = node.parent) keep.add(node.spanId);
  }
  const rows: SpanNode[] = [];
  const stack: SpanNode[] = [];
  for (let index = tree.roots.length - 1; index >= 0; index--) stack.push(tree.roots[index]!);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!keep.has(node.spanId)) continue;
    rows.push(node);
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
  }
  return rows;
}
