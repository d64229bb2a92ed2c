// Parent/child index of one trace, built without recursion so 100k-span traces cannot overflow
// the stack. Spans whose parent is missing (orphans), spans in parent cycles and extra roots are
// kept: every span appears exactly once in `preorder`.

import type { AnalysisSpan } from './analysis-span.js';

export interface SpanTree<Span extends AnalysisSpan = AnalysisSpan> {
  byId: Map<string, Span>;
  /** Children of each span id, ordered by start time (then span id for a stable order). */
  children: Map<string, Span[]>;
  /** Spans without parent (parentSpanId null), by start time. */
  roots: Span[];
  /** Spans whose parent id is not in the trace, by start time. */
  orphans: Span[];
  /** Spans only reachable through a parent cycle; each cycle is cut at its earliest span. */
  cycleBreaks: Span[];
  /**
   * The span the trace hangs from for critical path and diff: the parentless span that ends last
   * (ties: starts first), else the earliest top-level span. null for an empty trace.
   */
  primaryRoot: Span | null;
  /** roots, orphans and cycle breaks: every subtree top, by start time. */
  tops: Span[];
  /** Every span once, parents before children (depth-first, children in start order). */
  preorder: Span[];
  /** Depth of each span below its subtree top (tops have depth 0). */
  depth: Map<string, number>;
}

export function byStartTime(left: AnalysisSpan, right: AnalysisSpan): number {
  if (left.startTimeUnixNano !== right.startTimeUnixNano) return left.startTimeUnixNano < right.startTimeUnixNano ? -1 : 1;
  if (left.endTimeUnixNano !== right.endTimeUnixNano) return left.endTimeUnixNano < right.endTimeUnixNano ? -1 : 1;
  return left.spanId < right.spanId ? -1 : left.spanId > right.spanId ? 1 : 0;
}

export function buildSpanTree<Span extends AnalysisSpan>(spans: readonly Span[]): SpanTree<Span> {
  const byId = new Map<string, Span>();
  // A duplicated span id keeps its first occurrence (stores deduplicate; be defensive anyway).
  for (const span of spans) if (!byId.has(span.spanId)) byId.set(span.spanId, span);
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  const orphans: Span[] = [];
  for (const span of byId.values()) {
    const parentId = span.parentSpanId;
    if (parentId === null || parentId === '') roots.push(span);
    else if (!byId.has(parentId) || parentId === span.spanId) orphans.push(span);
    else {
      const siblings = children.get(parentId);
      if (siblings === undefined) children.set(parentId, [span]);
      else siblings.push(span);
    }
  }
  for (const siblings of children.values()) siblings.sort(byStartTime);
  roots.sort(byStartTime);
  orphans.sort(byStartTime);

  const preorder: Span[] = [];
  const depth = new Map<string, number>();
  const visit = (top: Span) => {
    const stack: Span[] = [top];
    depth.set(top.spanId, 0);
    while (stack.length > 0) {
      const span = stack.pop()!;
      preorder.push(span);
      const below = children.get(span.spanId) ?? [];
      const childDepth = depth.get(span.spanId)! + 1;
      for (let index = below.length - 1; index >= 0; index--) {
        const child = below[index]!;
        if (depth.has(child.spanId)) continue;
        depth.set(child.spanId, childDepth);
        stack.push(child);
      }
    }
  };
  for (const top of [...roots, ...orphans].sort(byStartTime)) visit(top);

  // Whatever is still unvisited sits in a parent cycle (a → b → a): cut each at its earliest span.
  const cycleBreaks: Span[] = [];
  if (depth.size < byId.size) {
    const unvisited = [...byId.values()].filter((span) => !depth.has(span.spanId)).sort(byStartTime);
    for (const span of unvisited) {
      if (depth.has(span.spanId)) continue;
      cycleBreaks.push(span);
      visit(span);
    }
  }

  const tops = [...roots, ...orphans, ...cycleBreaks].sort(byStartTime);
  let primaryRoot: Span | null = null;
  for (const root of roots) {
    if (primaryRoot === null || root.endTimeUnixNano > primaryRoot.endTimeUnixNano) primaryRoot = root;
  }
  primaryRoot ??= tops[0] ?? null;
  return { byId, children, roots, orphans, cycleBreaks, primaryRoot, tops, preorder, depth };
}
