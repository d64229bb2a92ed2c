// retry_storm: many failing calls to one model or tool in a short window — a client retrying
// into a rate limit or an outage. Flagged when at least `retryStormMinErrors` calls to the same
// target (model for model calls, tool name for tools) fail with status error and all start
// within `retryStormWindowMillis`. A single retry that succeeds is normal and not flagged.
// The finding lists every call to the target from the first to the last failure of the burst.

import type { AnalysisSpan } from '../analysis-span.js';
import type { DetectorThresholds } from '../detector-thresholds.js';
import type { Finding } from '../finding.js';
import { formatMillis, isModelCall, NANOS_PER_MILLI, nanosToMillisNumber, quote, spanTarget } from '../internal/span-facts.js';
import { byStartTime, type SpanTree } from '../span-tree.js';

export function detectRetryStorms(tree: SpanTree, thresholds: DetectorThresholds): Finding[] {
  const byTarget = new Map<string, AnalysisSpan[]>();
  for (const span of tree.preorder) {
    if (!isModelCall(span) && span.spanType !== 'tool') continue;
    const key = `${isModelCall(span) ? 'model' : 'tool'}\u0000${spanTarget(span)}`;
    const calls = byTarget.get(key);
    if (calls === undefined) byTarget.set(key, [span]);
    else calls.push(span);
  }
  const windowNanos = BigInt(Math.round(thresholds.retryStormWindowMillis)) * NANOS_PER_MILLI;
  const findings: Finding[] = [];
  for (const calls of byTarget.values()) {
    calls.sort(byStartTime);
    const failures = calls.filter((span) => span.status.code === 'error');
    if (failures.length < thresholds.retryStormMinErrors) continue;
    // Bursts: maximal runs of failures where every window of minErrors consecutive failures fits
    // in the window; overlapping qualifying windows merge into one burst.
    let burstStart = -1;
    let burstEnd = -1;
    const bursts: [number, number][] = [];
    for (let first = 0; first + thresholds.retryStormMinErrors - 1 < failures.length; first++) {
      const last = first + thresholds.retryStormMinErrors - 1;
      if (failures[last]!.startTimeUnixNano - failures[first]!.startTimeUnixNano > windowNanos) continue;
      if (burstStart >= 0 && first <= burstEnd) burstEnd = last;
      else {
        if (burstStart >= 0) bursts.push([burstStart, burstEnd]);
        burstStart = first;
        burstEnd = last;
      }
    }
    if (burstStart >= 0) bursts.push([burstStart, burstEnd]);
    for (const [firstIndex, lastIndex] of bursts) {
      const firstFailure = failures[firstIndex]!;
      const lastFailure = failures[lastIndex]!;
      const involved = calls.filter(
        (span) => span.startTimeUnixNano >= firstFailure.startTimeUnixNano && span.startTimeUnixNano <= lastFailure.startTimeUnixNano,
      );
      const failed = lastIndex - firstIndex + 1;
      const lastMessage = lastFailure.status.message === '' ? '' : ` (last error: ${quote(lastFailure.status.message)})`;
      const spread = nanosToMillisNumber(lastFailure.startTimeUnixNano - firstFailure.startTimeUnixNano);
      findings.push({
        kind: 'retry_storm',
        spanIds: involved.map((span) => span.spanId),
        message:
          `${failed} of ${involved.length} calls to ${isModelCall(firstFailure) ? 'model' : 'tool'} ` +
          `${quote(spanTarget(firstFailure))} failed within ${formatMillis(spread)}${lastMessage}`,
      });
    }
  }
  return findings;
}
