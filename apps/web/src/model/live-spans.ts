// Running spans in the UI. A live span's end time is when the SDK last reported it; while the
// page is open it is drawn as running up to "now", so its bar and elapsed time keep growing.

import type { ApiLiveSpan, ApiTraceDetail } from '../api/api-types.js';

export function hasLiveSpans(trace: ApiTraceDetail): boolean {
  return trace.spans.some((span) => span.live === true);
}

/**
 * The trace with each live span ending at `nowMs` (never before its last report), and the trace
 * summary stretched to match; the same object when nothing runs.
 */
export function withLiveSpansToNow(trace: ApiTraceDetail, nowMs: number): ApiTraceDetail {
  if (!hasLiveSpans(trace)) return trace;
  const nowNs = BigInt(Math.floor(nowMs)) * 1_000_000n;
  let traceEndNs = BigInt(trace.summary.startTimeUnixNano) + BigInt(Math.round(trace.summary.durationMs * 1e6));
  const spans = trace.spans.map((span) => {
    if (span.live !== true) return span;
    const reportedEndNs = BigInt(span.endTimeUnixNano);
    const endNs = nowNs > reportedEndNs ? nowNs : reportedEndNs;
    if (endNs > traceEndNs) traceEndNs = endNs;
    return { ...span, endTimeUnixNano: endNs.toString(), durationMs: Number((endNs - BigInt(span.startTimeUnixNano)) / 1000n) / 1000 };
  });
  const durationMs = Number((traceEndNs - BigInt(trace.summary.startTimeUnixNano)) / 1000n) / 1000;
  return { ...trace, spans, summary: { ...trace.summary, durationMs } };
}

/** Elapsed time of a running span now: the server's figure plus the time since it was fetched. */
export function elapsedNowMs(span: Pick<ApiLiveSpan, 'elapsedMs'>, fetchedAtMs: number, nowMs: number): number {
  return span.elapsedMs + Math.max(0, nowMs - fetchedAtMs);
}

/** What a running span is doing, for one line of the Running now panel. */
export function liveSpanSubject(span: ApiLiveSpan): string {
  const parts = [span.agentName && `agent ${span.agentName}`, span.toolName && `tool ${span.toolName}`, span.model, span.serviceName].filter(Boolean);
  return [...new Set(parts)].join(' · ');
}
