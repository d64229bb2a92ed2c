// straggler: in a parallel fan-out, one child far slower than its siblings — the whole fan-out
// waits for it. A fan-out is a set of ≥3 children of one parent, of the same kind (span type and
// tool / agent / model / digit-free name), that all run at one instant: each starts before the
// earliest end among those before it. A member is flagged when its duration is more than
// `stragglerMedianFactor` × the group's median and exceeds the median by `stragglerMinExcessMillis`.
//
//   parent |==========================================|
//   fetch   |===|                                         median 1 s
//   fetch   |====|
//   fetch   |===|
//   fetch   |======================================|      9 s: straggler
//
// Durations are measured by one clock each, so clock skew does not distort them.

import type { AnalysisSpan } from '../analysis-span.js';
import type { DetectorThresholds } from '../detector-thresholds.js';
import type { Finding } from '../finding.js';
import { durationNanos, formatMillis, median, nanosToMillisNumber, quote, spanTarget } from '../internal/span-facts.js';
import { byStartTime, type SpanTree } from '../span-tree.js';

function kindOf(span: AnalysisSpan): string {
  return `${span.spanType}\u0000${spanTarget(span).replace(/\d+/g, '#')}`;
}

/** Splits start-ordered siblings into sets that all run at one instant. */
function concurrentGroups(siblings: readonly AnalysisSpan[]): AnalysisSpan[][] {
  const groups: AnalysisSpan[][] = [];
  let group: AnalysisSpan[] = [];
  let earliestEnd = 0n;
  for (const span of siblings) {
    if (group.length > 0 && span.startTimeUnixNano < earliestEnd) {
      group.push(span);
      if (span.endTimeUnixNano < earliestEnd) earliestEnd = span.endTimeUnixNano;
      continue;
    }
    if (group.length > 0) groups.push(group);
    group = [span];
    earliestEnd = span.endTimeUnixNano;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

export function detectStragglers(tree: SpanTree, thresholds: DetectorThresholds): Finding[] {
  const findings: Finding[] = [];
  for (const [parentId, children] of tree.children) {
    if (children.length < thresholds.stragglerMinSiblings) continue;
    const byKind = new Map<string, AnalysisSpan[]>();
    for (const child of children) {
      const key = kindOf(child);
      const same = byKind.get(key);
      if (same === undefined) byKind.set(key, [child]);
      else same.push(child);
    }
    for (const same of byKind.values()) {
      if (same.length < thresholds.stragglerMinSiblings) continue;
      same.sort(byStartTime);
      for (const group of concurrentGroups(same)) {
        if (group.length < thresholds.stragglerMinSiblings) continue;
        const durations = group.map((span) => nanosToMillisNumber(durationNanos(span)));
        const typical = median(durations);
        group.forEach((span, index) => {
          const duration = durations[index]!;
          if (duration <= typical * thresholds.stragglerMedianFactor) return;
          if (duration - typical < thresholds.stragglerMinExcessMillis) return;
          const parent = tree.byId.get(parentId);
          findings.push({
            kind: 'straggler',
            spanIds: [span.spanId, ...group.filter((other) => other !== span).map((other) => other.spanId)],
            message:
              `${span.spanType} ${quote(spanTarget(span))} took ${formatMillis(duration)}, ` +
              `${(duration / Math.max(typical, 0.001)).toFixed(1)}× the median ${formatMillis(typical)} of its ` +
              `${group.length} parallel siblings under ${quote(parent?.name ?? parentId)}`,
          });
        });
      }
    }
  }
  return findings;
}
