// Runs every detector over one trace. Findings come out grouped by kind in FINDING_KINDS order,
// each group in time order of its first span, so the same trace always yields the same list.

import { resolveThresholds, type DetectorThresholds } from './detector-thresholds.js';
import { detectBrokenTrace } from './detectors/detect-broken-trace.js';
import { detectContextBlowup } from './detectors/detect-context-blowup.js';
import { detectHandoffPingPong } from './detectors/detect-handoff-ping-pong.js';
import { detectRetryStorms } from './detectors/detect-retry-storms.js';
import { detectStragglers } from './detectors/detect-stragglers.js';
import { detectToolLoops } from './detectors/detect-tool-loop.js';
import { FINDING_KINDS, type Finding } from './finding.js';
import type { SpanTree } from './span-tree.js';

export function detectFindings(tree: SpanTree, overrides: Partial<DetectorThresholds> = {}): Finding[] {
  const thresholds = resolveThresholds(overrides);
  const findings = [
    ...detectToolLoops(tree, thresholds),
    ...detectStragglers(tree, thresholds),
    ...detectRetryStorms(tree, thresholds),
    ...detectHandoffPingPong(tree, thresholds),
    ...detectContextBlowup(tree, thresholds),
    ...detectBrokenTrace(tree),
  ];
  const order = new Map(tree.preorder.map((span, index) => [span.spanId, index]));
  const startOf = (finding: Finding) => {
    const first = tree.byId.get(finding.spanIds[0] ?? '');
    return first === undefined ? 0n : first.startTimeUnixNano;
  };
  return findings.sort((left, right) => {
    const byKind = FINDING_KINDS.indexOf(left.kind) - FINDING_KINDS.indexOf(right.kind);
    if (byKind !== 0) return byKind;
    const leftStart = startOf(left);
    const rightStart = startOf(right);
    if (leftStart !== rightStart) return leftStart < rightStart ? -1 : 1;
    return (order.get(left.spanIds[0] ?? '') ?? 0) - (order.get(right.spanIds[0] ?? '') ?? 0);
  });
}
