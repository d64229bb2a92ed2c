// broken_trace across traces: one session split into disconnected traces because the trace
// context did not travel with a call. Pure; the analyzer feeds it the traces of one session.
//
// Two rules, each flagging both traces involved:
//  1. Lost context. Trace B's root is a SERVER or CONSUMER span (it was called), and trace A of
//     the same session has a CLIENT or PRODUCER span S with no children that is not a model call
//     (calls to model providers are never traced on the other side) and B's root started while S
//     ran (± CLOCK_SKEW_NANOS; for PRODUCER up to QUEUE_DELAY_NANOS after S ended):
//
//       trace A   |---- client S (no children) ----|
//       trace B          |== server root ==|            ← the callee started a new trace
//
//  2. Parent in another trace. A span of B names a parent span id that is not in B but is a span
//     of A: the span id travelled, the trace id did not.
// Without a session id the traces of a split run cannot be told apart from unrelated traffic,
// so nothing is flagged.

import type { Finding } from '@cairn/analysis';
import type { SpanStructure } from '@cairn/storage';

/** A trace of the session; only the structural fields of its spans are looked at. */
export interface SessionTrace {
  traceId: string;
  spans: readonly SpanStructure[];
}

const SPAN_KIND = { server: 2, client: 3, producer: 4, consumer: 5 } as const;
export const CLOCK_SKEW_NANOS = 1_000_000_000n;
export const QUEUE_DELAY_NANOS = 60_000_000_000n;

function shortId(traceId: string): string {
  return traceId.slice(0, 8);
}

/** Calls that leave the trace: CLIENT/PRODUCER spans without children, model calls excepted. */
function outgoingCalls(trace: SessionTrace): SpanStructure[] {
  const parents = new Set(trace.spans.map((span) => span.parentSpanId));
  return trace.spans.filter(
    (span) =>
      (span.kind === SPAN_KIND.client || span.kind === SPAN_KIND.producer) &&
      !parents.has(span.spanId) &&
      span.spanType !== 'llm' &&
      span.spanType !== 'embedding',
  );
}

/** Parentless SERVER/CONSUMER spans: a trace that began because something called it. */
function calledRoots(trace: SessionTrace): SpanStructure[] {
  return trace.spans.filter((span) => span.parentSpanId === null && (span.kind === SPAN_KIND.server || span.kind === SPAN_KIND.consumer));
}

function startedDuring(call: SpanStructure, root: SpanStructure): boolean {
  const latest = call.endTimeUnixNano + (call.kind === SPAN_KIND.producer ? QUEUE_DELAY_NANOS : CLOCK_SKEW_NANOS);
  return root.startTimeUnixNano >= call.startTimeUnixNano - CLOCK_SKEW_NANOS && root.startTimeUnixNano <= latest;
}

/**
 * Cross-trace broken_trace findings of `subject` against the other traces of its session, and
 * the ids of those other traces (their own analysis must gain the mirror finding).
 */
export function findCrossTraceBreaks(subject: SessionTrace, others: readonly SessionTrace[]): { findings: Finding[]; partners: string[] } {
  const findings: Finding[] = [];
  const partners = new Set<string>();
  const subjectIds = new Set(subject.spans.map((span) => span.spanId));
  const subjectCalls = outgoingCalls(subject);
  const subjectRoots = calledRoots(subject);
  for (const other of others) {
    if (other.traceId === subject.traceId) continue;
    // Rule 1, subject as callee: its root started during a childless call of `other`.
    for (const root of subjectRoots) {
      const call = outgoingCalls(other).find((candidate) => startedDuring(candidate, root));
      if (!call) continue;
      partners.add(other.traceId);
      findings.push({
        kind: 'broken_trace',
        spanIds: [root.spanId],
        message: `"${root.name}" started a new trace while "${call.name}" of trace ${shortId(other.traceId)} (same session) was calling out: the trace context was not propagated, so one run is split into two traces.`,
      });
    }
    // Rule 1, subject as caller.
    const otherRoots = calledRoots(other);
    for (const call of subjectCalls) {
      const root = otherRoots.find((candidate) => startedDuring(call, candidate));
      if (!root) continue;
      partners.add(other.traceId);
      findings.push({
        kind: 'broken_trace',
        spanIds: [call.spanId],
        message: `"${call.name}" has no children here; its callee "${root.name}" started trace ${shortId(other.traceId)} (same session) instead: the trace context was not propagated.`,
      });
    }
    // Rule 2: parent ids pointing into the other trace, either way.
    const otherIds = new Set(other.spans.map((span) => span.spanId));
    const adopted = subject.spans.filter((span) => span.parentSpanId !== null && !subjectIds.has(span.parentSpanId) && otherIds.has(span.parentSpanId));
    if (adopted.length > 0) {
      partners.add(other.traceId);
      findings.push({
        kind: 'broken_trace',
        spanIds: adopted.map((span) => span.spanId),
        message: `${adopted.length === 1 ? 'A span has its parent' : `${adopted.length} spans have their parent`} in trace ${shortId(other.traceId)}: the span id was propagated but the trace id was not.`,
      });
    }
    const parentsHere = other.spans.filter((span) => span.parentSpanId !== null && !otherIds.has(span.parentSpanId) && subjectIds.has(span.parentSpanId));
    if (parentsHere.length > 0) {
      partners.add(other.traceId);
      const parentIds = [...new Set(parentsHere.map((span) => span.parentSpanId!))];
      findings.push({
        kind: 'broken_trace',
        spanIds: parentIds,
        message: `Children of ${parentIds.length === 1 ? 'this span were' : `${parentIds.length} spans were`} recorded in trace ${shortId(other.traceId)}: the trace id was not propagated with the span id.`,
      });
    }
  }
  return { findings, partners: [...partners] };
}
