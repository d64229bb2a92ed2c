// Children as critical path and self time see them: the real children of each span, plus every
// other subtree top (orphans under a missing parent, extra roots, cycle breaks) hung under the
// primary root. The missing parent of an orphan was almost always somewhere inside the root, so
// its time belongs to the root's timeline rather than to nowhere.

import type { AnalysisSpan } from '../analysis-span.js';
import { byStartTime, type SpanTree } from '../span-tree.js';

export function hungChildren<Span extends AnalysisSpan>(tree: SpanTree<Span>): Map<string, Span[]> {
  const root = tree.primaryRoot;
  if (root === null) return tree.children;
  const extra = tree.tops.filter((top) => top !== root);
  if (extra.length === 0) return tree.children;
  const children = new Map(tree.children);
  children.set(root.spanId, [...(tree.children.get(root.spanId) ?? []), ...extra].sort(byStartTime));
  return children;
}
