// broken_trace: the trace does not hang together — spans point to a parent that never arrived
// (lost spans, or context propagated by id without the parent being exported), or the trace has
// several roots (a process started a new root instead of continuing the incoming context).
// A trace split across several trace ids within one session needs a cross-trace query and is
// not detected here.

import type { Finding } from '../finding.js';
import { quote } from '../internal/span-facts.js';
import type { SpanTree } from '../span-tree.js';

export function detectBrokenTrace(tree: SpanTree): Finding[] {
  const findings: Finding[] = [];
  const detached = [...tree.orphans, ...tree.cycleBreaks];
  if (detached.length > 0) {
    const missing = new Set(detached.map((span) => span.parentSpanId ?? ''));
    const names = detached.slice(0, 3).map((span) => quote(span.name, 40)).join(', ');
    findings.push({
      kind: 'broken_trace',
      spanIds: detached.map((span) => span.spanId),
      message:
        `${detached.length} span${detached.length === 1 ? '' : 's'} (${names}${detached.length > 3 ? ', …' : ''}) ` +
        `point to ${missing.size} parent span${missing.size === 1 ? '' : 's'} missing from the trace ` +
        `(lost, not exported, or context propagated without its parent)`,
    });
  }
  if (tree.roots.length > 1) {
    const services = tree.roots.slice(0, 3).map((span) => quote(span.name, 40)).join(', ');
    findings.push({
      kind: 'broken_trace',
      spanIds: tree.roots.map((span) => span.spanId),
      message:
        `the trace has ${tree.roots.length} root spans (${services}${tree.roots.length > 3 ? ', …' : ''}); ` +
        `a process started a new root instead of continuing the incoming context`,
    });
  }
  return findings;
}
