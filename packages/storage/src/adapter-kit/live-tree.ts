// The tree view (getTrace { view: 'tree' }) with a trace's running spans, for every adapter.

import type { TraceSummary } from '@cairn/model';
import type { StoredSpan } from '../trace-store.js';
import type { TraceTreeDetail, TreeSpan } from '../trace-tree.js';
import { liveSpanKey, unfinishedLiveSpans, withLiveSpans } from './live-trace.js';

function compareByStart(a: TreeSpan, b: TreeSpan): number {
  if (a.startTimeUnixNano !== b.startTimeUnixNano) return a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}

/**
 * The tree view with the trace's running spans (live records whose span is not stored), as
 * withLiveSpans does for the full view: listed by start time and counted in the summary.
 */
export function withLiveTreeSpans(summary: TraceSummary | null, spans: TreeSpan[], snapshots: readonly StoredSpan[]): TraceTreeDetail | null {
  const finished = new Set(spans.map((span) => liveSpanKey(span.projectId, span.traceId, span.spanId)));
  const running = unfinishedLiveSpans(snapshots, finished);
  if (running.length === 0) return summary === null ? null : { summary, spans };
  // withLiveSpans over no finished spans widens the summary by the running ones.
  const merged = withLiveSpans(summary === null ? null : { summary, spans: [] }, running)!;
  return { summary: merged.summary, spans: [...spans, ...merged.spans].sort(compareByStart) };
}
