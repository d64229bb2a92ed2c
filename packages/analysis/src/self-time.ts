// Self time: the part of a span's own duration not covered by any of its children — the time the
// span spent working rather than waiting (Jaeger's compute-span-self-time). Children are clipped
// to the span first, so a child from a process with a skewed clock cannot make self time negative,
// and overlapping children are merged so parallel work is not subtracted twice:
//
//   span      |==============================|      duration 30
//   child A      |=======|                          clipped [3,11]
//   child B         |==========|                    clipped [6,17]    merged [3,17]
//   child C                          |=========|   clipped [25,30]
//   self      |==|              |=======|           3 + 8 = 11

import type { AnalysisSpan } from './analysis-span.js';
import { hungChildren } from './internal/hung-children.js';
import type { SpanTree } from './span-tree.js';

/** Self time of every span in nanoseconds (never negative). */
export function computeSelfTimes<Span extends AnalysisSpan>(tree: SpanTree<Span>): Map<string, bigint> {
  const children = hungChildren(tree);
  const selfTimes = new Map<string, bigint>();
  for (const span of tree.preorder) {
    const start = span.startTimeUnixNano;
    const end = span.endTimeUnixNano < start ? start : span.endTimeUnixNano;
    const clipped: [bigint, bigint][] = [];
    for (const child of children.get(span.spanId) ?? []) {
      const childStart = child.startTimeUnixNano < start ? start : child.startTimeUnixNano;
      const childEnd = child.endTimeUnixNano > end ? end : child.endTimeUnixNano;
      if (childStart < childEnd) clipped.push([childStart, childEnd]);
    }
    clipped.sort((left, right) => (left[0] < right[0] ? -1 : left[0] > right[0] ? 1 : 0));
    let covered = 0n;
    let runStart: bigint | null = null;
    let runEnd = 0n;
    for (const [childStart, childEnd] of clipped) {
      if (runStart !== null && childStart <= runEnd) {
        if (childEnd > runEnd) runEnd = childEnd;
        continue;
      }
      if (runStart !== null) covered += runEnd - runStart;
      runStart = childStart;
      runEnd = childEnd;
    }
    if (runStart !== null) covered += runEnd - runStart;
    selfTimes.set(span.spanId, end - start - covered);
  }
  return selfTimes;
}
