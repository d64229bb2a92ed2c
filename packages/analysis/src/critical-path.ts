// Critical path of a trace: the chain of work that decided its end time (Jaeger's algorithm,
// jaeger-ui src/components/TracePage/CriticalPath). Start at the root, step into the child that
// finished last (LFC), and when a span has no child left, go back to its parent and continue with
// the child that finished before this one started:
//
//   root  |=================================================|
//   A       |=========|                                        <- ended before C started: on path
//   B         |====|                                           <- overlaps A, ends earlier: skipped
//   C                   |==========================|           <- last-finishing child: on path
//   path:  [root][  A  ][                C           ][root]
//
// Clock skew between processes is handled by sanitizing a copy of the intervals first (stored
// spans are never changed): a child entirely outside its parent is dropped with its subtree, and
// a child that starts before or ends after its parent is clamped to the parent. Iterative: a
// 20k-deep chain cannot overflow the stack.

import type { AnalysisSpan } from './analysis-span.js';
import { hungChildren } from './internal/hung-children.js';
import type { SpanTree } from './span-tree.js';

export interface Interval {
  startUnixNano: bigint;
  endUnixNano: bigint;
}

export interface CriticalPathSection extends Interval {
  spanId: string;
}

export interface CriticalPath {
  /** Span ids on the path: the root first, then in order of their first section in time. */
  spanIds: string[];
  /** Stretches of time on the path, in time order; a span appears once per stretch. */
  sections: CriticalPathSection[];
}

/** The intervals critical path analysis uses, after clamping to parents; dropped spans are absent. */
export function sanitizeIntervals<Span extends AnalysisSpan>(tree: SpanTree<Span>): Map<string, Interval> {
  const intervals = new Map<string, Interval>();
  const root = tree.primaryRoot;
  if (root === null) return intervals;
  const children = hungChildren(tree);
  const rootEnd = root.endTimeUnixNano < root.startTimeUnixNano ? root.startTimeUnixNano : root.endTimeUnixNano;
  intervals.set(root.spanId, { startUnixNano: root.startTimeUnixNano, endUnixNano: rootEnd });
  const stack: Span[] = [root];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    const bounds = intervals.get(parent.spanId)!;
    for (const child of children.get(parent.spanId) ?? []) {
      if (intervals.has(child.spanId)) continue;
      const start = child.startTimeUnixNano;
      const end = child.endTimeUnixNano < start ? start : child.endTimeUnixNano;
      if (start > bounds.endUnixNano || end < bounds.startUnixNano) continue;
      intervals.set(child.spanId, {
        startUnixNano: start < bounds.startUnixNano ? bounds.startUnixNano : start,
        endUnixNano: end > bounds.endUnixNano ? bounds.endUnixNano : end,
      });
      stack.push(child);
    }
  }
  return intervals;
}

export function computeCriticalPath<Span extends AnalysisSpan>(tree: SpanTree<Span>): CriticalPath {
  const root = tree.primaryRoot;
  if (root === null) return { spanIds: [], sections: [] };
  const intervals = sanitizeIntervals(tree);
  const allChildren = hungChildren(tree);
  const parentOf = new Map<string, string>();
  // Children of each span by sanitized end, latest first; a cursor per parent remembers how far
  // the search went, because each return to a parent asks for an earlier end (O(n log n) total).
  const byEnd = new Map<string, string[]>();
  const cursor = new Map<string, number>();
  const interval = (spanId: string) => intervals.get(spanId)!;
  for (const [parentId, children] of allChildren) {
    if (!intervals.has(parentId)) continue;
    const kept = children.filter((child) => intervals.has(child.spanId)).map((child) => child.spanId);
    for (const childId of kept) parentOf.set(childId, parentId);
    kept.sort((left, right) => {
      const difference = interval(right).endUnixNano - interval(left).endUnixNano;
      return difference > 0n ? 1 : difference < 0n ? -1 : 0;
    });
    byEnd.set(parentId, kept);
  }
  const lastFinishingChild = (spanId: string, before: bigint | null): string | null => {
    const children = byEnd.get(spanId) ?? [];
    let index = cursor.get(spanId) ?? 0;
    while (index < children.length && before !== null && interval(children[index]!).endUnixNano >= before) index++;
    cursor.set(spanId, index + 1);
    return children[index] ?? null;
  };

  const reversed: CriticalPathSection[] = [];
  const push = (spanId: string, startUnixNano: bigint, endUnixNano: bigint) => {
    if (startUnixNano < endUnixNano) reversed.push({ spanId, startUnixNano, endUnixNano });
  };
  let current = root.spanId;
  let returningChildStart: bigint | null = null;
  for (;;) {
    const sectionEnd = returningChildStart ?? interval(current).endUnixNano;
    const child = lastFinishingChild(current, returningChildStart);
    if (child !== null) {
      push(current, interval(child).endUnixNano, sectionEnd);
      current = child;
      returningChildStart = null;
      continue;
    }
    push(current, interval(current).startUnixNano, sectionEnd);
    const parent = parentOf.get(current);
    if (parent === undefined) break;
    returningChildStart = interval(current).startUnixNano;
    current = parent;
  }
  const sections = reversed.reverse();
  const spanIds = [root.spanId];
  const seen = new Set(spanIds);
  for (const section of sections) {
    if (seen.has(section.spanId)) continue;
    seen.add(section.spanId);
    spanIds.push(section.spanId);
  }
  return { spanIds, sections };
}
